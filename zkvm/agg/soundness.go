// Soundness of the fold circuit (Fold.Define, verifier.go)
//
// The rule of every zkfleet circuit (docs/ARCHITECTURE.md, "What the
// challenges bind"): a value that reaches a bus term, a lookup, a local bus
// or a bus sum is committed before the challenge it meets, or uniquely
// determined by committed values through constraints. The fold puts nothing
// on the bus itself; it adds the children's bus sums and combines their
// commitments, so its argument is that every value of the claim it states
// is determined by the children's claims, and each child's claim by a
// verified proof:
//
//	value                          fixed by
//	Left/Right.Claim (γ, input     Poseidon2 digest of the claim = the child proof's
//	  length, VK set, Start, End,    public input, checked by the in-circuit Groth16
//	  bus sum, commitment)           verification (collision resistance: one claim
//	                                 per digest)
//	Left/Right.Proof (A, B, Krs,   the two pairing checks (BSB22: e(D, −σG)·e(PoK, G)
//	  D, PoK)                        = 1; Groth16) and the on-curve checks; they reach
//	                                 no bus value, only decide whether a claim is proved
//	Left/Right.Kind                booleans summing to 1; select the embedded FixedKey
//	Left/Right.K                   Hash(TagVK, digest of the selected FixedKey, K) ∈
//	                                 Allowed
//	Allowed                        Hash(TagVKSet, Allowed) = the children's VK set,
//	                                 which the verifier compares with its trusted set
//	output claim: γ, input length, the children's (asserted equal); Start = left's,
//	  VK set, Start, End, bus sum,   End = right's (left.End = right.Start asserted),
//	  commitment                     bus sum = left + right, commitment =
//	                                 Hash(TagFoldCommit, left, right); its digest is
//	                                 the public input
//	commitment hash of a child     hash to field of D (recursion.NewHash), as gnark's
//	                                 prover computes it
//	hint outputs                   the fold has no hint of its own; gnark's hints
//	                                 (emulated field arithmetic, curve and pairing
//	                                 gadgets, bit decompositions, the range checker)
//	                                 are constrained by their gadgets
//
// TestFoldHintsBound (fold_hints_test.go) finds every hint the fold calls
// and replaces outputs of each (the children's proofs, keys and claims
// unchanged): the fold must be unsatisfiable every time.

package agg
