// Package cpu is the CPU segment leaf circuit: it proves N consecutive steps
// of an RV32IM execution traced by zkvm/emu (see docs/ARCHITECTURE.md "Proof
// system" and zkvm/emu/trace.go for the step semantics).
//
// # Witness
//
// Public: only Digest, the claim.Claim digest. Private: the globals
// (challenge, input length, VK-set digest), the start CPU lane with the
// registers x1..x31 as values, the end registers, the six non-CPU lane
// elements (carried unchanged), per row the prover-chosen bus values (the
// instruction word, the old memory word and its timestamp, the input byte of
// a read step) and the register-bus witness (values read, previous times).
// Everything else (decode flags, carries, quotients, byte limbs…) comes from
// hints (hints.go) and is fully constrained.
//
// # One row
//
//   - Decode: the instruction word is split into fields cut where the
//     immediate formats cut it (opcode, rd[0], rd[4:1], funct3, rs1, rs2[0],
//     rs2[4:1], funct7[5:0], sign), range checked by small-range lookups
//     (the opcode is pinned by the flags instead); immediates of all formats
//     are linear combinations of them. One boolean flag per op
//     (decode.go; 47 ops) is one-hot in an active row and all zero in a
//     padding row (Σ flags = 1 − halted); opcode = Σ flag·opcode, and
//     funct3/funct7 are matched against Σ flag·funct for the ops that use
//     them, so an illegal word (no op matches, EBREAK, FENCE.I, CSR…) makes
//     the row unsatisfiable. ECALL requires the exact word 0x00000073.
//   - Registers: not row variables but a segment-local memory (regbus.go):
//     every row makes four accesses (rs1, rs2, x0, rd; a7, a1, a2, a0 in an
//     ecall row), each reading (idx, value, oldT) with oldT < t and writing
//     (idx, value', t); only the rd slot changes the value, and only if the
//     row writes a register other than x0. The start registers are written
//     at time 0 and the end registers read at the end; a log-derivative
//     multiset test under a challenge from the circuit's BSB22 commitment
//     (shared with std/rangecheck and the lookups) forces every read to see
//     the latest write.
//   - Shared units, each instantiated once per row on flag-selected inputs:
//     a 32-bit adder with carry (ADD/SUB/AUIPC/branch and jump targets/load,
//     store and IO addresses), pc+4, a comparator (signed by flipping the sign
//     bits) and an equality test, a bitwise unit on the nibbles of rs1 and the
//     second operand (nibble-pair AND and sign/shift bits by lookup tables,
//     lookup.go), a shifter (one product x·m split into 32-bit halves:
//     m = 2^s gives SLL in the low half, m = 2^32/2^s gives SRL in the high
//     half, s = 0 included; SRA via ¬((¬x)>>s)),
//     one signed 64-bit multiplier for MUL/MULH/MULHSU/MULHU (operands
//     sign-adjusted, product + 2^64 split into lo, hi, carry), and a divider
//     proving a = q·b + r over the integers with |r| < |b|, sign(r) ∈
//     {0, sign(a)}, q = 2^32−1 when b = 0 and the −2^31/−1 overflow case.
//     All register results are 32-bit by construction (range-checked limbs),
//     so registers stay 32-bit by induction from the canonical start state;
//     pc likewise, so pc+4 wraps only at pc = 2^32−4 (an equality test).
//   - Memory: the adder's result is split into (byte offset, word address);
//     LW/SW need offset 0 and LH/LHU/SH an even offset. The old word is split
//     into bytes; loads select and sign-extend, stores merge. A memory row
//     reads (TagMem, addr, old, oldTs) with multiplicity −1 and writes
//     (TagMem, addr, new, ts) with +1, ts = step+1, oldTs < ts (40-bit checks).
//   - Ecalls: a7/a0 select one of read(0), read(bad fd), write(1), write(2),
//     write(bad fd), exit; anything else is unsatisfiable. read moves one byte
//     per step: (TagInput, inCursor, byte) −1 and a byte store at a1+ioSub;
//     write(1) loads a byte from a1+ioSub and puts (TagOutput, outCursor,
//     byte) +1. n = min(a2, InputLen − inCursor) is never computed: a step is
//     the last one when ioSub+1 = a2 or (read) inCursor+1 = InputLen; it then
//     sets a0 = ioSub+1, pc += 4 and ioSub = 0, otherwise pc stays and ioSub
//     grows. Zero-length read/write set a0 = 0; write(2) sets a0 = a2 (the
//     debug bytes are not part of the statement); bad fds set a0 = 2^32−9;
//     exit sets halted = 1, exitCode = a0, pc += 4 (as zkvm/emu does).
//   - Fetch: every active row takes (TagFetch, pc, instr) with −1. Misaligned
//     jump targets need no check of their own: the memory table only offers
//     word addresses, so the next fetch cannot match.
//   - Halt: once halted, rows are padding: all flags are zero, so no bus
//     term, no register write, pc/step/cursors unchanged; halted never goes
//     back to 0. Assign pads a short last segment with zero rows.
//
// # Claim
//
// Start/End CPU lane = (pc, step, RegsDigest(x1..x31), inCursor, outCursor,
// ioSub, halted, exitCode). The memory, input and output lanes are private
// inputs with End = Start; Assign sets them to zero because CPU leaves come
// first in the canonical leaf order and those lanes start at zero.
// BusSum = Σ of the row terms (gadget.Term, α, β from the challenge).
// Commitment = sponge(TagLeafCommit, LeafCPU, start CPU lane, packed rows)
// (a width-16 Poseidon2 sponge, package sponge, ~5× cheaper per element than
// claim.Hash; the commitment is opaque outside this package) where
// a row packs instr | old<<32 | oldTs<<64 | inByte<<104 (112 bits, all range
// checked, so the packing is injective) and two rows share one element. It
// does not depend on the challenge; Commit computes it natively.
//
// std/rangecheck, the register bus (regbus.go) and the lookup tables
// (lookup.go) all draw their challenges through std/multicommit, which gives
// exactly one BSB22 commitment in the compiled R1CS (see
// testdata/constraints.golden); none of them needs the global challenge or
// room in the phase-1 commitment, because none of their values leaves the
// segment.
package cpu
