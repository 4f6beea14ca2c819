package emu

import (
	"reflect"
	"testing"
)

func isMulDiv(w uint32) bool {
	o := DecodeOp(w)
	return o >= OpMUL && o <= OpREMU
}

func mulDivSteps(steps []Step) int {
	n := 0
	for i := range steps {
		if isMulDiv(steps[i].Instr) {
			n++
		}
	}
	return n
}

// mulDivProgram reads up to 6 input bytes to 0x20000, runs a loop of
// iterations with four M ops, one ALU op and a branch each, writes the
// bytes read to fd 1 between M ops, and exits with a checksum.
func mulDivProgram(iterations uint32) *Program {
	mul := func(f3, rd, rs1, rs2 uint32) uint32 { return rType(1, rs2, rs1, f3, rd, 0x33) }
	return ProgramFromWords(codeBase, cat(
		li(10, 0), li(11, 0x20000), li(12, 6), li(17, 63), []uint32{ecallW},
		[]uint32{addi(18, 10, 0)}, // bytes read
		li(5, 0x12345), li(6, 0xfffffff3), li(7, iterations),
		// loop: 4 M ops, a write of the bytes read in the middle, counter.
		[]uint32{
			mul(0, 5, 5, 6),  // mul
			mul(1, 8, 5, 6),  // mulh
			addi(10, 0, 1),   // write(1, 0x20000, n)
			addi(12, 18, 0),  //
			addi(17, 0, 64),  //
			ecallW,           //
			mul(4, 9, 5, 6),  // div
			mul(7, 28, 8, 7), // remu
			addi(5, 5, 3),
			addi(7, 7, -1),
			bType(-40, 0, 7, 1), // bne x7, x0, loop
		},
		[]uint32{rType(0, 9, 28, 4, 10, 0x33)}, // exit code x28 ^ x9
		li(17, 93), []uint32{ecallW},
	))
}

// TestTraceMulDivBudget cuts segments at the M budget: each segment holds at
// most the budget, ends early only before the M step that would exceed it
// (checkTraceCfg), segments chain and TraceSegment regenerates them, and the
// execution's result (Run, Trace, RunSegments) does not depend on the cut.
func TestTraceMulDivBudget(t *testing.T) {
	p := mulDivProgram(12)
	want, err := Run(p, []byte("abc"), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if string(want.Output) != "abcabcabcabcabcabcabcabcabcabcabcabc" {
		t.Fatalf("output %q", want.Output)
	}
	early := 0
	for _, size := range []int{1, 3, 7, 16, 64} {
		for _, budget := range []int{0, 1, 2, 3, 16} {
			for _, in := range []string{"", "abc"} {
				ex := checkTraceCfg(t, p, []byte(in), Config{SegmentSize: size, MulDivBudget: budget})
				for k := range ex.Segments[:len(ex.Segments)-1] {
					if len(ex.Segments[k].Steps) < size {
						early++
					}
				}
				if in == "abc" && !reflect.DeepEqual(ex.Result, *want) {
					t.Fatalf("size %d budget %d: result %+v, want %+v", size, budget, ex.Result, *want)
				}
			}
		}
	}
	if early == 0 {
		t.Fatal("no segment was cut at the budget")
	}
	// A segment that starts inside a multi-step write (cut at the size) and
	// ends early at the budget.
	ex := checkTraceCfg(t, p, []byte("abc"), Config{SegmentSize: 6, MulDivBudget: 1})
	mid := false
	for _, seg := range ex.Segments[:len(ex.Segments)-1] {
		if seg.Start.IOSub != 0 && len(seg.Steps) < 6 {
			mid = true
		}
	}
	if !mid {
		t.Fatal("no short segment starts inside an IO ecall")
	}
}

// TestMulDivBudgetExact pins the segments of one configuration: with a
// budget of 2 M steps, every segment after the first starts at an M step.
func TestMulDivBudgetExact(t *testing.T) {
	p := mulDivProgram(2)
	ex, err := Trace(p, []byte("x"), Config{SegmentSize: 100, MulDivBudget: 2})
	if err != nil {
		t.Fatal(err)
	}
	var lens []int
	for _, seg := range ex.Segments {
		lens = append(lens, len(seg.Steps))
	}
	// 11 prologue steps (the read moves 1 byte) + mul mulh li li li ecall |
	// div remu addi addi bne | mul mulh li li li ecall | div remu addi addi
	// bne xor li ecall.
	if !reflect.DeepEqual(lens, []int{17, 5, 6, 8}) {
		t.Fatalf("segment lengths %v", lens)
	}
	for k, seg := range ex.Segments {
		if mulDivSteps(seg.Steps) != 2 || k > 0 && !isMulDiv(seg.Steps[0].Instr) {
			t.Fatalf("segment %d: %d M steps, first %#x", k, mulDivSteps(seg.Steps), seg.Steps[0].Instr)
		}
	}
	if _, err := Trace(p, nil, Config{SegmentSize: 4, MulDivBudget: -1}); err == nil {
		t.Fatal("negative budget accepted")
	}
}
