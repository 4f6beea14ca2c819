package memtable

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkfleet/zkfleet/zkvm/claim"
	"github.com/zkfleet/zkfleet/zkvm/emu"
)

// Minimal RV32I encoders for the guest below.
func addi(rd, rs1 uint32, imm int32) uint32 {
	return uint32(imm)<<20 | rs1<<15 | rd<<7 | 0x13
}
func lw(rd, rs1 uint32) uint32  { return rs1<<15 | 2<<12 | rd<<7 | 0x03 }
func sw(rs2, rs1 uint32) uint32 { return rs2<<20 | rs1<<15 | 2<<12 | 0x23 }

const ecall = 0x73

// echoGuest reads 4 bytes of input onto the stack, increments the word,
// writes it to stdout and exits with 7.
func echoGuest() *emu.Program {
	const a0, a1, a2, a7, sp, t0 = 10, 11, 12, 17, 2, 5
	return emu.ProgramFromWords(0x1000, []uint32{
		addi(a7, 0, 63), addi(a0, 0, 0), addi(a1, sp, -64), addi(a2, 0, 4), ecall,
		lw(t0, a1), addi(t0, t0, 1), sw(t0, a1),
		addi(a7, 0, 64), addi(a0, 0, 1), ecall,
		addi(a7, 0, 93), addi(a0, 0, 7), ecall,
	})
}

// TestBusCancelsEmu: for a real emulator execution (several segments, IO in
// both directions, a partially consumed input), the memory chunks chain to
// the program's image hash, and the table leaves' bus sums plus the CPU terms
// of every traced step are zero.
func TestBusCancelsEmu(t *testing.T) {
	p := echoGuest()
	input := []byte("hello!")
	ex, err := emu.Trace(p, input, emu.Config{SegmentSize: 8})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Result.ExitCode != 7 || string(ex.Result.Output) != "iell" || ex.Result.InputConsumed != 4 {
		t.Fatalf("unexpected execution: %+v", ex.Result)
	}
	if len(ex.Segments) < 2 || NumChunks(ex.Memory, testM) < 2 {
		t.Fatal("execution too small to span segments and chunks")
	}

	g := claim.Globals{Challenge: claim.U64(0x5eed), InputLen: claim.U64(uint64(len(input)))}
	var acc claim.Claim
	for i := 0; i < NumChunks(ex.Memory, testM); i++ {
		_, cl, err := Assign(ex.Memory, testM, i, g, claim.State{})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			acc = cl
			continue
		}
		var ok bool
		if acc, ok = claim.Fold(&acc, &cl); !ok {
			t.Fatalf("memory chunk %d does not chain", i)
		}
	}
	if want := p.ImageHash(); !acc.End[claim.MemImageHash].Equal(&want) {
		t.Fatal("memory lane does not end at Program.ImageHash")
	}

	sum := tableLeavesBusSum(t, ex.Memory, input, ex.Result.InputConsumed, ex.Result.Output, g)
	var cpu fr.Element
	for _, seg := range ex.Segments {
		s := cpuBusSum(seg.Steps, seg.Start.Step+1, g.Challenge)
		cpu.Add(&cpu, &s)
	}
	sum.Add(&sum, &cpu)
	if !sum.IsZero() {
		t.Fatal("honest emulator execution: bus does not cancel")
	}

	// A different input byte in the tape (the CPU read the real one) breaks it.
	other := append([]byte(nil), input...)
	other[1]++
	bad := tableLeavesBusSum(t, ex.Memory, other, ex.Result.InputConsumed, ex.Result.Output, g)
	bad.Add(&bad, &cpu)
	if bad.IsZero() {
		t.Fatal("tampered input tape not detected by the bus")
	}
}
