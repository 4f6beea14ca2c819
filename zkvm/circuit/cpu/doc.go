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
// Everything else (decode flags, carries, quotients, byte limbs, the
// M-extension unit rows…) comes from hints (hints.go) and is fully
// constrained.
//
// # One row
//
//   - Decode: the instruction word is split into fields cut where the
//     immediate formats cut it (opcode, rd[0], rd[4:1], funct3 as three
//     bits, rs1, rs2[0], rs2[4:1], funct7[5:0], sign), range checked by
//     small-range lookups (the opcode is pinned by the classes instead);
//     immediates of all formats are linear combinations of them. One boolean
//     per instruction class (decode.go: LUI, AUIPC, JAL, JALR, branch, load,
//     store, OP-IMM, OP, M, FENCE, ECALL): one is set in an active row, none
//     in a padding row (active = Σ class, see Padding), and
//     opcode = Σ class·opcode.
//     (class, funct3, funct7 where it is not an immediate, address offset)
//     must be a row of a ~270-row decode lookup table (decode.go: legal,
//     aligned), which also gives the bit alt (funct7 = 0x20: SUB, SRA,
//     SRAI), so an illegal word (EBREAK, FENCE.I, CSR, funct7 0x40…) makes
//     the row unsatisfiable; classAccepts mirrors these constraints natively and is
//     tested against zkvm/emu's decoder. The funct3 bits select inside a
//     class (their one-hot h0..h7 is linear in the bits and four products).
//     ECALL requires the exact word 0x00000073.
//   - Registers: not row variables but a segment-local memory (regbus.go):
//     every row makes four accesses (rs1, rs2, x0, rd; a7, a1, a2, a0 in an
//     ecall row), each reading (idx, value, oldT) with oldT < t and writing
//     (idx, value', t); only the rd slot changes the value, and only if the
//     row writes a register other than x0. The start registers are written
//     at time 0 and the end registers read at the end; a log-derivative
//     multiset test under a challenge from the circuit's BSB22 commitment
//     (shared with the lookups and the unit bus) forces every read to see
//     the latest write.
//   - Shared units, each instantiated once per row on flag-selected inputs:
//     a 32-bit adder with carry (ADD/SUB/AUIPC/branch and jump targets/load,
//     store and IO addresses), pc+4, a comparator (signed by flipping the sign
//     bits) and an equality test, a bitwise unit on the nibbles of rs1 and the
//     second operand (nibble-pair AND and sign/shift bits by lookup tables,
//     lookup.go), a shifter (one product x·m split into 32-bit halves:
//     m = 2^s gives SLL in the low half, m = 2^32/2^s gives SRL in the high
//     half, s = 0 included; SRA via ¬((¬x)>>s)).
//     All register results are 32-bit by construction (range-checked limbs),
//     so registers stay 32-bit by induction from the canonical start state;
//     pc likewise, so pc+4 wraps only at pc = 2^32−4 (an equality test).
//   - M extension (muldiv.go): not in the row. An M row puts (funct3 +
//     8·sign(rs1) + 16·sign(rs2), rs1, rs2, result) on a segment-local
//     log-derivative bus; MulDivRows unit rows (DefaultMulDivRows(N) =
//     max(N/8, 16), at most N) each take one tuple off it and prove it with
//     one signed 64-bit multiplier for MUL/MULH/MULHSU/MULHU (operands
//     sign-adjusted, product + 2^64 split into lo, hi, carry) and a divider
//     proving a = q·b + r over the integers with |r| < |b|, sign(r) ∈
//     {0, sign(a)}, q = 2^32−1 when b = 0 and the −2^31/−1 overflow case.
//     The segmenter keeps segments within the unit rows: with
//     emu.Config.MulDivBudget = MulDivRows (the prover's NewJob) a segment
//     ends early, before the M step that would exceed them, and the rest of
//     it is padding. Assign and Commit refuse a segment with more M steps
//     (ErrUnitRows), i.e. one cut without the budget.
//   - Memory: the adder splits its sum as l0 + 2·l1 + 4·q + 2^32·carry
//     (l0, l1, carry booleans, q < 2^30 by three 10-bit lookups), so
//     rA = l0 + 2·l1 + 4·q, the byte offset l0 + 2·l1 and the word address
//     4·q are the unique binary digits of rA: no prover choice (see
//     Soundness). JALR clears l0 of its target. LW/SW need offset 0
//     and LH/LHU/SH an even offset (the offset is part of the decode
//     lookup's key). The old word is split into bytes; loads
//     select and sign-extend, stores merge. A memory row reads (TagMem, addr,
//     old, oldTs) with multiplicity −1 and writes (TagMem, addr, new, ts)
//     with +1, ts = step+1, ts − oldTs − 1 < 2^40 (oldTs < 2^40 in other
//     rows).
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
//   - Padding: a row is active iff it has a class (active = Σ class), else
//     it is padding. Padding rows are a suffix of the segment and every row
//     after halt is padding, both by one packed product per row:
//     active·(1 − active + 16·(padPrev + halted)) = 0, padPrev = 1 − active
//     of the previous row (0 for the first); it also makes active boolean
//     (a root active = 1 + 16·k ≥ 17 exceeds the 12 classes). A padding row
//     has all class flags zero, so it puts nothing on any bus (fetch, memory,
//     tape, unit bus), writes no register (its slots write back what they
//     read) and keeps pc (pc·(pad + nonLast)), step (+ active), ioSub
//     ((nonLast + pad)·ioSub + nonLast), the cursors, halted and exitCode.
//     Hence the End state is exactly the state after the active rows; the
//     next segment continues from it, and a segment can claim halted only if
//     an exit ran (or it started halted). The active rows being a prefix is
//     what makes ts = step₀ + row + 1 of every active row linear. Segments
//     end early at halt or at the unit-row budget (see M extension); Assign
//     pads any segment of fewer than N steps with zero rows.
//
// # Constraint economy
//
// Range checks are lookups in the circuit's own tables (lookup.go: widths
// 3..11, wider limbs cut into pieces), not std/rangecheck. Bus terms
// m/(β − fp) cost one constraint (DivUnchecked; β = fp has negligible
// probability because every tuple is committed first). Linear equalities
// whose two sides are bounded integers whatever the witness (recompositions
// of computed values, nibble words, class sums) are packed several per
// constraint at spaced powers of two (rowCtx.flushEq), and products that
// must be zero and are small non-negative integers are summed into one
// assertion per row (rowCtx.assertZero).
//
// # Claim
//
// Start/End CPU lane = (pc, step, RegsDigest(x1..x31), inCursor, outCursor,
// ioSub, halted, exitCode). The memory, input and output lanes are private
// inputs with End = Start; Assign sets them to zero because CPU leaves come
// first in the canonical leaf order and those lanes start at zero.
// BusSum = Σ of the row terms m/(β − fp) (claim.Term, α, β from the
// challenge).
// Commitment = sponge(TagLeafCommit, LeafCPU, start CPU lane, packed rows)
// (the width-16 Poseidon2 sponge claim.Sponge / gadget.Sponge, ~5× cheaper
// per element than claim.Hash; the commitment is opaque outside this
// package) where
// a row packs instr | old<<32 | oldTs<<64 | inByte<<104 (112 bits; instr, old
// and inByte range checked, oldTs in a window of 2^40 values, so the packing
// is injective) and two rows share one element. It does not depend on the
// challenge; Commit computes it natively.
//
// The register bus (regbus.go), the lookup tables (lookup.go) and the
// M-extension unit bus (muldiv.go) all draw their challenges through
// std/multicommit, which gives exactly one BSB22 commitment in the compiled
// R1CS (see testdata/constraints.golden); none of them needs the global
// challenge or room in the phase-1 commitment, because none of their values
// leaves the segment.
//
// # Soundness
//
// Two challenges bind the witness. The job's γ (α, β of the bus) is derived
// by the verifier from every leaf's phase-1 commitment; the local challenge
// of the register bus, the unit bus and the lookups is the hash of the
// circuit's one BSB22 commitment, which covers the values those arguments
// take and also the phase-1 commitment and InputLen (the BSB22 hash depends
// neither on γ nor on the public digest, so anything it does not cover could
// be chosen after it).
//
// The rule: every value that reaches a bus term (fingerprint or
// multiplicity), a lookup, a local bus or the bus sum is committed before
// the challenge it meets, or is uniquely determined by committed values
// through constraints. A value free after γ is fatal even in a term of
// multiplicity 0: (β − fp)·t = m with fp = β holds for every t. The values
// and why each is fixed:
//
//	value                              fixed by
//	Instr, MemOld, MemOldTS, InByte    phase-1 commitment (packed row; injective by the
//	                                   range checks of fields, bytes, oldTs window)
//	start lane: pc, step, regs digest, phase-1 commitment (its first elements), itself
//	  cursors, ioSub, halted, exitCode   covered by the BSB22 commitment
//	start registers x1..x31            regs digest in the start lane; BSB22 (register bus)
//	Challenge, InputLen, VKSet         claim digest; γ is checked by the verifier against
//	                                   the commitments; InputLen also BSB22-covered
//	Reg, RegTS (slot reads)            BSB22; the register-bus multiset test makes every
//	EndRegs, EndRegTS (final reads)      read the latest write (value and time), a function
//	                                     of the committed rows and start registers
//	Other (memory/tape lanes)          in no term; End = Start
//	splitHint limbs: instruction       range checks (lookups, booleans) and an exact or
//	  fields, adder, comparator,         packed recomposition of a value bounded far
//	  shifter, bytes of MemOld,          below p: unique digits (the opcode limb: opcode =
//	  nibbles, range-check pieces,       Σ class·opcode, distinct below 128)
//	  unit product, q/r signs
//	byte offset l0 + 2·l1, word        the adder's split rA = l0 + 2·l1 + 4·q: the unique
//	  address 4·q, JALR's bit 0          remainder and quotient of rA by 4
//	decodeHint: class flags            booleans, at most one (padding product), opcode =
//	                                     Σ class·opcode; OP and M (same opcode) apart by
//	                                     the decode lookup's funct7; none iff opcode 0
//	decodeKeyHint: alt                 decode lookup (key, alt): one row per key
//	decodeKeyHint: row index           lookup counts only; the alt of the offset lookup
//	                                     and the index of decodeAlt are unused outputs
//	ecallHint: syscall flags           booleans, Σ = isEcall, isEcall·a7 = Σ flag·number
//	nibbleHint: AND, msb, 2^shift      lookups in functional tables (output column a
//	                                     function of the input columns)
//	countHint: multiplicities          BSB22; fixed by the log-derivative identity
//	mulDivHint: M result               unit bus: the result a used unit row proves;
//	                                     BSB22; in a non-M row times isM = 0, multiplicity 0
//	mulDivRowsHint: unit rows          BSB22; a used row matches one M step's tuple; an
//	                                     unused row has multiplicity 0
//	divHint: q, r                      a = q·b + r over the integers, |r| < |b|, sign(r) ∈
//	                                     {0, sign(a)}, q = 2^32−1 if b = 0, overflow case
//	IsZero, Select, DivUnchecked,      their constraints (2^32/pw with pw ≠ 0 a table
//	  Inverse (gnark)                    value; the bus divisions as above); IsZero's
//	                                     inverse of 0 is unused (1 − 0·m = 1)
//	rangecheck limbs and counts        the range checker (RegsDigest's 32-bit checks of
//	                                     the start and end registers), BSB22-covered
//	BSB22 commitment value and mask    not constrained by the solver: the verifier
//	                                     recomputes the commitment's hash from D; the
//	                                     mask is random by design
//
// Tests: TestByteOffsetFixed (the offset attack on SB, LB, LBU, SH, LH, LHU,
// JALR and IO byte rows: every other offset is rejected with the commitment
// unchanged), TestEveryHintOutputBound (each hint's outputs replaced one by
// one, committed values unchanged; only the unused outputs above may change
// nothing), TestCompiledHintsBound (the same with gnark's solver on the
// compiled circuit, which adds the builder's hints),
// TestCommitmentBindsStartLane, and the negative tests of negative_test.go.
package cpu
