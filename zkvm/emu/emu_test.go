package emu

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

const codeBase = 0x10000

func cat(parts ...[]uint32) []uint32 {
	var out []uint32
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// echoProgram reads up to 8 input bytes to 0x20000, writes them to fd 1,
// writes 2 bytes of debug, stores a halfword and exits with 7.
func echoProgram() *Program {
	return ProgramFromWords(codeBase, cat(
		li(10, 0), li(11, 0x20000), li(12, 8), li(17, 63), []uint32{ecallW},
		[]uint32{addi(12, 10, 0)}, li(10, 1), li(11, 0x20000), li(17, 64), []uint32{ecallW},
		li(5, 0x4948), li(6, 0x30000), []uint32{sType(2, 5, 6, 1)}, // sh x5, 2(x6)
		li(10, 2), li(11, 0x30002), li(12, 2), li(17, 64), []uint32{ecallW},
		exitSeq(7),
	))
}

func TestRunEcho(t *testing.T) {
	res, err := Run(echoProgram(), []byte("hello"), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 7 || string(res.Output) != "hello" || string(res.Debug) != "HI" || res.InputConsumed != 5 {
		t.Fatalf("got %+v", res)
	}
	// instructions: 4+1 read(5 steps) +1+1+2+1+1 write(5 steps) +2+2+1 +1+2+1+1 +1 + 1+1+1+1 + 3
	words := len(echoProgram().Image)
	if want := uint64(words + 4 + 4); res.Cycles != want {
		t.Fatalf("cycles %d, want %d", res.Cycles, want)
	}
}

func TestTraceMatchesRun(t *testing.T) {
	for _, size := range []int{1, 2, 3, 7, 1024} {
		for _, in := range []string{"", "a", "hello", "0123456789"} {
			checkTrace(t, echoProgram(), []byte(in), size)
		}
	}
}

// checkTrace verifies that Trace agrees with Run, segments chain and have
// the right sizes, TraceSegment regenerates each segment, and the memory
// table is consistent with the steps.
func checkTrace(t *testing.T, p *Program, input []byte, size int) *Execution {
	t.Helper()
	return checkTraceCfg(t, p, input, Config{SegmentSize: size})
}

// checkTraceCfg is checkTrace for any config: with a MulDivBudget, a
// segment holds at most that many M-extension steps and ends early only
// right before the M step that would exceed it.
func checkTraceCfg(t *testing.T, p *Program, input []byte, cfg Config) *Execution {
	t.Helper()
	size := cfg.SegmentSize
	res, err := Run(p, input, Config{MaxCycles: cfg.MaxCycles})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := Trace(p, input, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*res, ex.Result) {
		t.Fatalf("Run %+v != Trace %+v", res, ex.Result)
	}
	rres, count, err := RunSegments(p, input, cfg)
	if err != nil || !reflect.DeepEqual(*res, *rres) || count != len(ex.Segments) {
		t.Fatalf("RunSegments: %+v, %d segments, %v; want %+v, %d", rres, count, err, res, len(ex.Segments))
	}
	if cfg.MulDivBudget == 0 && len(ex.Segments) != NumSegments(res.Cycles, size) {
		t.Fatalf("%d segments, want %d", len(ex.Segments), NumSegments(res.Cycles, size))
	}
	if ex.Segments[0].Start != InitialState(p) {
		t.Fatal("first segment does not start at the initial state")
	}
	lastTS := map[uint32]uint64{}
	fetches := map[uint32]uint64{}
	var step uint64
	for k, seg := range ex.Segments {
		if seg.Index != k {
			t.Fatalf("segment %d has index %d", k, seg.Index)
		}
		if k > 0 && seg.Start != ex.Segments[k-1].End {
			t.Fatalf("segment %d does not start where %d ended", k, k-1)
		}
		md := mulDivSteps(seg.Steps)
		if cfg.MulDivBudget > 0 && md > cfg.MulDivBudget {
			t.Fatalf("segment %d has %d M steps, budget %d", k, md, cfg.MulDivBudget)
		}
		if k < len(ex.Segments)-1 && len(seg.Steps) != size {
			// Only an early cut at the budget: the next step is an M step
			// that would exceed it.
			next := ex.Segments[k+1].Steps[0].Instr
			if cfg.MulDivBudget == 0 || len(seg.Steps) > size || md != cfg.MulDivBudget || !isMulDiv(next) {
				t.Fatalf("segment %d has %d steps (%d M), next %#x", k, len(seg.Steps), md, next)
			}
		}
		if seg.Start.Step != step || seg.End.Step != step+uint64(len(seg.Steps)) {
			t.Fatalf("segment %d step counters wrong", k)
		}
		for _, st := range seg.Steps {
			step++
			fetches[st.PC]++
			if st.Mem.Valid {
				if st.Mem.OldTS != lastTS[st.Mem.Addr] {
					t.Fatalf("step %d: OldTS %d, want %d", step, st.Mem.OldTS, lastTS[st.Mem.Addr])
				}
				lastTS[st.Mem.Addr] = step
			}
		}
		again, err := TraceSegment(p, input, cfg, k)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(*again, seg) {
			t.Fatalf("TraceSegment(%d) differs from Trace", k)
		}
	}
	k := 0
	sres, smem, err := TraceFunc(p, input, cfg, func(seg *Segment) error {
		if !reflect.DeepEqual(*seg, ex.Segments[k]) {
			t.Fatalf("TraceFunc segment %d differs from Trace", k)
		}
		k++
		return nil
	})
	if err != nil || k != len(ex.Segments) || !reflect.DeepEqual(*sres, ex.Result) || !reflect.DeepEqual(smem, ex.Memory) {
		t.Fatalf("TraceFunc disagrees with Trace (%d segments, err %v)", k, err)
	}
	last := ex.Segments[len(ex.Segments)-1].End
	if !last.Halted || last.ExitCode != res.ExitCode || last.Step != res.Cycles || last.OutCursor != uint32(len(res.Output)) {
		t.Fatalf("end state %+v does not match result %+v", last, res)
	}
	for i, e := range ex.Memory {
		if i > 0 && e.Addr <= ex.Memory[i-1].Addr {
			t.Fatal("memory table not strictly sorted")
		}
		if e.FinalTS != lastTS[e.Addr] || e.FetchCount != fetches[e.Addr] {
			t.Fatalf("memory entry %+v: want FinalTS %d FetchCount %d", e, lastTS[e.Addr], fetches[e.Addr])
		}
		delete(lastTS, e.Addr)
	}
	if len(lastTS) != 0 {
		t.Fatalf("accessed words missing from the memory table: %v", lastTS)
	}
	return ex
}

func TestIOSteps(t *testing.T) {
	ex := checkTrace(t, echoProgram(), []byte("abc"), 1)
	var reads, writes []byte
	for _, seg := range ex.Segments {
		for _, st := range seg.Steps {
			switch st.IOKind {
			case IORead:
				reads = append(reads, st.IOByte)
			case IOWrite:
				writes = append(writes, st.IOByte)
			}
		}
	}
	if string(reads) != "abc" || string(writes) != "abc" {
		t.Fatalf("reads %q writes %q", reads, writes)
	}
	// The second read byte step: IOSub 1 before it.
	found := false
	for _, seg := range ex.Segments {
		if seg.Steps[0].IOKind == IORead && seg.Steps[0].IOIndex == 1 {
			found = seg.Start.IOSub == 1 && seg.Start.InCursor == 1
		}
	}
	if !found {
		t.Fatal("IOSub/InCursor not tracked between byte steps")
	}
}

func TestArithmetic(t *testing.T) {
	type tc struct {
		name string
		f7   uint32
		f3   uint32
		a, b uint32
		want uint32
	}
	cases := []tc{
		{"add", 0, 0, 0xffffffff, 1, 0},
		{"sub", 0x20, 0, 0, 1, 0xffffffff},
		{"sll", 0, 1, 1, 33, 2},
		{"slt", 0, 2, 0x80000000, 0, 1},
		{"sltu", 0, 3, 0x80000000, 0, 0},
		{"srl", 0, 5, 0x80000000, 63, 1},
		{"sra", 0x20, 5, 0x80000000, 31, 0xffffffff},
		{"mul", 1, 0, 0xffffffff, 0xffffffff, 1},
		{"mulh", 1, 1, 0x80000000, 0x80000000, 0x40000000},
		{"mulhsu", 1, 2, 0xffffffff, 0xffffffff, 0xffffffff},
		{"mulhu", 1, 3, 0xffffffff, 0xffffffff, 0xfffffffe},
		{"div0", 1, 4, 5, 0, 0xffffffff},
		{"divovf", 1, 4, 0x80000000, 0xffffffff, 0x80000000},
		{"div", 1, 4, 0xfffffff9, 2, 0xfffffffd},
		{"divu0", 1, 5, 5, 0, 0xffffffff},
		{"rem0", 1, 6, 5, 0, 5},
		{"removf", 1, 6, 0x80000000, 0xffffffff, 0},
		{"rem", 1, 6, 0xfffffff9, 2, 0xffffffff},
		{"remu0", 1, 7, 5, 0, 5},
	}
	for _, c := range cases {
		p := ProgramFromWords(codeBase, cat(li(5, c.a), li(6, c.b),
			[]uint32{rType(c.f7, 6, 5, c.f3, 10, 0x33)}, li(17, 93), []uint32{ecallW}))
		res, err := Run(p, nil, Config{})
		if err != nil {
			t.Fatal(c.name, err)
		}
		if res.ExitCode != c.want {
			t.Errorf("%s(0x%x, 0x%x) = 0x%x, want 0x%x", c.name, c.a, c.b, res.ExitCode, c.want)
		}
	}
}

func TestLoadsStores(t *testing.T) {
	// store 0x80 byte at 0x20001, lb -> sign extended, lbu, sh/lh
	p := ProgramFromWords(codeBase, cat(
		li(6, 0x20000), li(5, 0xff80),
		[]uint32{sType(1, 5, 6, 0)},            // sb x5, 1(x6)
		[]uint32{sType(2, 5, 6, 1)},            // sh x5, 2(x6)
		[]uint32{iType(1, 6, 0, 7, 0x03)},      // lb x7, 1(x6)
		[]uint32{iType(2, 6, 5, 8, 0x03)},      // lhu x8, 2(x6)
		[]uint32{iType(0, 6, 2, 9, 0x03)},      // lw x9, 0(x6)
		[]uint32{rType(0, 8, 7, 0, 10, 0x33)},  // a0 = x7 + x8
		[]uint32{rType(0, 9, 10, 4, 10, 0x33)}, // a0 ^= x9
		li(17, 93), []uint32{ecallW},
	))
	res, err := Run(p, nil, Config{})
	if err != nil {
		t.Fatal(err)
	}
	x7, x8, x9 := uint32(0xffffff80), uint32(0xff80), uint32(0xff808000)
	if want := (x7 + x8) ^ x9; res.ExitCode != want {
		t.Fatalf("got 0x%x want 0x%x", res.ExitCode, want)
	}
	checkTrace(t, p, nil, 4)
}

func TestFaults(t *testing.T) {
	cases := []struct {
		name  string
		words []uint32
		cfg   Config
		want  string
	}{
		{"ebreak", []uint32{ebreakW}, Config{}, "ebreak at pc 0x00010000"},
		{"illegal", []uint32{0xffffffff}, Config{}, "illegal instruction 0xffffffff at pc 0x00010000"},
		{"syscall", cat(li(17, 222), []uint32{ecallW}), Config{}, "unsupported syscall 222 at pc 0x00010004"},
		{"misaligned load", cat(li(5, 0x20001), []uint32{iType(0, 5, 2, 6, 0x03)}), Config{}, "misaligned load from 0x00020001 at pc 0x00010008"},
		{"misaligned store", cat(li(5, 0x20002), []uint32{sType(0, 5, 5, 2)}), Config{}, "misaligned store to 0x00020002 at pc 0x00010008"},
		{"outside", []uint32{jal(0, 8)}, Config{}, "pc outside executable memory at pc 0x00010008"},
		{"loop", []uint32{jal(0, 0)}, Config{MaxCycles: 1000}, "cycle limit 1000 reached at pc 0x00010000"},
		{"fallthrough", []uint32{addi(5, 0, 1)}, Config{}, "pc outside executable memory at pc 0x00010004"},
	}
	for _, c := range cases {
		p := ProgramFromWords(codeBase, c.words)
		_, err := Run(p, nil, c.cfg)
		if !errors.Is(err, ErrExec) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Run error %v, want %q", c.name, err, c.want)
		}
		c.cfg.SegmentSize = 16
		_, err = Trace(p, nil, c.cfg)
		if !errors.Is(err, ErrExec) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Trace error %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := Run(ProgramFromWords(codeBase, exitSeq(0)), nil, Config{MaxCycles: MaxCyclesLimit + 1}); !errors.Is(err, ErrConfig) {
		t.Errorf("cycle limit above maximum: %v", err)
	}
}

func TestExactCycleLimit(t *testing.T) {
	p := ProgramFromWords(codeBase, exitSeq(3))
	if _, err := Run(p, nil, Config{MaxCycles: 3}); err != nil {
		t.Fatalf("exactly the limit: %v", err)
	}
	if _, err := Run(p, nil, Config{MaxCycles: 2}); !errors.Is(err, ErrExec) {
		t.Fatalf("one below: %v", err)
	}
}

func TestBadFD(t *testing.T) {
	p := ProgramFromWords(codeBase, cat(li(10, 3), li(12, 4), li(17, 64), []uint32{ecallW},
		[]uint32{addi(5, 10, 0)}, li(10, 5), li(17, 63), []uint32{ecallW},
		[]uint32{rType(0, 10, 5, 0, 10, 0x33)}, li(17, 93), []uint32{ecallW}))
	res, err := Run(p, []byte("x"), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0xffffffee || res.InputConsumed != 0 {
		t.Fatalf("got %+v", res)
	}
}

func TestCodeIsNotWritable(t *testing.T) {
	// Overwrite the next instruction with ebreak: fetch still sees the image.
	p := ProgramFromWords(codeBase, cat(li(5, ebreakW), li(6, codeBase+16),
		[]uint32{sType(0, 5, 6, 2)}, exitSeq(9)))
	ex := checkTrace(t, p, nil, 3)
	if ex.Result.ExitCode != 9 {
		t.Fatal(ex.Result)
	}
}

func TestImageHashAndID(t *testing.T) {
	a := ProgramFromWords(codeBase, exitSeq(1))
	b := ProgramFromWords(codeBase, exitSeq(2))
	c := ProgramFromWords(codeBase+4, exitSeq(1))
	ha, hb := a.ImageHash(), b.ImageHash()
	if ha.Equal(&hb) {
		t.Fatal("different images hash equal")
	}
	ia, ic := a.ID(), c.ID()
	if ia.Equal(&ic) {
		t.Fatal("different entries give equal ids")
	}
}

func TestNumSegments(t *testing.T) {
	for _, c := range []struct {
		cycles uint64
		size   int
		want   int
	}{{1, 1024, 1}, {1024, 1024, 1}, {1025, 1024, 2}, {0, 4, 0}, {10, 0, 0}} {
		if got := NumSegments(c.cycles, c.size); got != c.want {
			t.Errorf("NumSegments(%d,%d)=%d want %d", c.cycles, c.size, got, c.want)
		}
	}
}

func TestTraceSegmentOutOfRange(t *testing.T) {
	p := ProgramFromWords(codeBase, exitSeq(0))
	if _, err := TraceSegment(p, nil, Config{SegmentSize: 2}, 5); !errors.Is(err, ErrConfig) {
		t.Fatalf("got %v", err)
	}
	if _, err := Trace(p, nil, Config{}); !errors.Is(err, ErrConfig) {
		t.Fatalf("segment size 0: %v", err)
	}
}
