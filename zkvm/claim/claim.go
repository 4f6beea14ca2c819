package claim

import (
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
)

// State is the chained part of a claim: a fixed vector of field elements made
// of independent lanes. A leaf proof moves the lanes it owns from Start to
// End and must leave every other lane unchanged (End == Start there). A fold
// checks left.End == right.Start element-wise and claims (left.Start,
// right.End). The verifier checks the root's Start against the canonical
// initial state and its End against the statement. Because lanes are
// independent, the leaves of one job are ordered CPU segments first, then
// memory-table chunks, then input chunks, then output chunks (see Leaf order
// in tree.go), and each lane is advanced by its own leaves in order.
type State [StateWidth]fr.Element

// Offsets into State.
const (
	// CPU lane, advanced by CPU segment leaves.
	CPUPC        = iota // pc of the next step
	CPUStep             // steps executed so far (= timestamp of the last step; memory init is timestamp 0)
	CPURegs             // RegsDigest of x1..x31
	CPUInCursor         // input bytes consumed so far
	CPUOutCursor        // public-output bytes written so far
	CPUIOSub            // bytes already moved by the read/write ecall in progress (0 between instructions)
	CPUHalted           // 1 once exit/exit_group has executed, else 0
	CPUExitCode         // exit code (a0 at exit), 0 before halt

	// Memory lane, advanced by memory-table leaves (sorted by address).
	MemNextAddr  // every later memory-table entry has address >= this (starts at 0)
	MemImageHash // ImageStep running hash over the entries that belong to the program image

	// Input lane, advanced by input-tape leaves.
	InCursor // input bytes tabulated so far
	InHash   // TapeRunningHash of them

	// Output lane, advanced by output-tape leaves.
	OutCursor // output bytes tabulated so far
	OutHash   // TapeRunningHash of them

	StateWidth
)

// Globals are identical in every proof of one job; a fold checks that both
// children agree and passes them up.
type Globals struct {
	Challenge fr.Element // global challenge γ (DeriveChallenge)
	InputLen  fr.Element // length of the private input in bytes
	VKSet     fr.Element // digest of the allowed verifying keys (zkvm/agg)
}

// Claim is everything a leaf or fold proof states. Its Groth16 public input
// is the single field element Digest(); the preimage travels beside the
// proof. This keeps in-circuit recursive verification cheap: one public
// input means one emulated scalar multiplication per verified child.
type Claim struct {
	Globals

	Start, End State

	// BusSum is this proof's partial log-derivative sum (see bus.go); a fold
	// adds its children's. The whole job's sums total zero.
	BusSum fr.Element

	// Commitment binds every prover-chosen value this proof puts on the bus.
	// Leaves compute it in-circuit from their witness (it must not depend on
	// the challenge); a fold combines its children's with CombineCommitments.
	Commitment fr.Element
}

// Elements returns the claim as the ordered field-element vector that
// Digest hashes: TagClaim, Challenge, InputLen, VKSet, Start[..], End[..],
// BusSum, Commitment. Circuits must hash the same vector in the same order.
func (c *Claim) Elements() []fr.Element {
	out := make([]fr.Element, 0, 6+2*StateWidth)
	out = append(out, U64(TagClaim), c.Challenge, c.InputLen, c.VKSet)
	out = append(out, c.Start[:]...)
	out = append(out, c.End[:]...)
	out = append(out, c.BusSum, c.Commitment)
	return out
}

// Digest is the single public input of every zkfleet Groth16 proof.
func (c *Claim) Digest() fr.Element { return Hash(c.Elements()...) }

// NumElements is len(Claim.Elements()).
const NumElements = 6 + 2*StateWidth

// FromElements is the inverse of Elements (the tag is checked).
func FromElements(e []fr.Element) (Claim, bool) {
	var c Claim
	if len(e) != NumElements {
		return c, false
	}
	tag := U64(TagClaim)
	if !e[0].Equal(&tag) {
		return c, false
	}
	c.Challenge, c.InputLen, c.VKSet = e[1], e[2], e[3]
	copy(c.Start[:], e[4:4+StateWidth])
	copy(c.End[:], e[4+StateWidth:4+2*StateWidth])
	c.BusSum, c.Commitment = e[4+2*StateWidth], e[5+2*StateWidth]
	return c, true
}

// Fold returns the claim a fold of left and right states, and whether the
// two children are compatible (same globals, left.End == right.Start).
// zkvm/agg's fold circuit enforces exactly these rules in-circuit.
func Fold(left, right *Claim) (Claim, bool) {
	var out Claim
	if !left.Challenge.Equal(&right.Challenge) || !left.InputLen.Equal(&right.InputLen) || !left.VKSet.Equal(&right.VKSet) {
		return out, false
	}
	for i := range left.End {
		if !left.End[i].Equal(&right.Start[i]) {
			return out, false
		}
	}
	out.Globals = left.Globals
	out.Start, out.End = left.Start, right.End
	out.BusSum.Add(&left.BusSum, &right.BusSum)
	out.Commitment = CombineCommitments(left.Commitment, right.Commitment)
	return out, true
}

// CombineCommitments is the fold rule for commitments:
// Hash(TagFoldCommit, left, right).
func CombineCommitments(left, right fr.Element) fr.Element {
	return Hash(U64(TagFoldCommit), left, right)
}

// DeriveChallenge is the global challenge γ for a job whose leaf commitments,
// in leaf order, fold (by the canonical tree of tree.go) to root:
// γ = Hash(TagChallenge, root, numLeaves).
func DeriveChallenge(root fr.Element, numLeaves int) fr.Element {
	return Hash(U64(TagChallenge), root, U64(uint64(numLeaves)))
}

// ChallengeFromCommitments folds leaf commitments along the canonical tree
// and derives γ. This is what the coordinator runs between the contribution
// and the prove phase.
func ChallengeFromCommitments(commitments []fr.Element) fr.Element {
	return DeriveChallenge(RootCommitment(commitments), len(commitments))
}

// RootCommitment folds leaf commitments along the canonical tree.
func RootCommitment(commitments []fr.Element) fr.Element {
	level := append([]fr.Element(nil), commitments...)
	for len(level) > 1 {
		next := level[:0:0]
		for i := 0; i+1 < len(level); i += 2 {
			next = append(next, CombineCommitments(level[i], level[i+1]))
		}
		if len(level)%2 == 1 {
			next = append(next, level[len(level)-1])
		}
		level = next
	}
	if len(level) == 0 {
		return fr.Element{}
	}
	return level[0]
}

// BusChallenges derives the two bus challenges from γ:
// α = Hash(TagAlpha, γ) combines tuple components, β = Hash(TagBeta, γ) is
// the point every fraction is taken at.
func BusChallenges(gamma fr.Element) (alpha, beta fr.Element) {
	return Hash(U64(TagAlpha), gamma), Hash(U64(TagBeta), gamma)
}
