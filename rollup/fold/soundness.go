// Soundness of the rollup fold circuit (Fold.Define)
//
// A fold states a chunk statement (or, at the root, a batch statement)
// that must follow from its two children's statements by batch.Combine
// (and batch.CheckRoot), each child's statement being proved by a
// verified proof under an accepted key:
//
//	value                          fixed by
//	Left/Right.Stmt                the child's public input: its digest
//	                                 (Sponge, as batch.ChunkStatement.Digest) for a
//	                                 chunk child, Sponge(TagOutput, digest, ChunkVK,
//	                                 FoldVK) for a fold child; checked by gnark's
//	                                 in-circuit Groth16 verifier (collision
//	                                 resistance: one statement per input)
//	Left/Right.Proof               the verifier's pairing checks (Groth16 and the
//	                                 BSB22 commitment, whose hash is computed as
//	                                 gnark's native prover does)
//	Left/Right.VK                  VKHash over all its limbs = FoldVK if IsFold,
//	                                 else ChunkVK
//	Left/Right.IsFold              AssertIsBoolean; selects the key and the form of
//	                                 the public input, so a chunk proof cannot pass as
//	                                 a fold (its key hash is ChunkVK's) and vice versa
//	ChunkVK, FoldVK                inner fold: part of its public input, so its
//	                                 parent asserts them equal to its own; root:
//	                                 equal to the compile-time RootKeys, so the trusted
//	                                 root key pins both keys of the whole tree
//	statement integers             64-bit range checks (batch id, first, count,
//	                                 counts in and out of both children; the combined
//	                                 count; the batch statement's id and counts), so
//	                                 b.First = a.First + a.Count cannot wrap and
//	                                 every value is a uint64 as batch encodes it
//	Combine                        same batch id, both counts ≠ 0, b.First =
//	                                 a.First + a.Count, b starts at a's post root,
//	                                 accumulators and counts
//	output statement               built from the children's fields only
//	Public (inner)                 = Sponge(TagOutput, digest(output), ChunkVK, FoldVK)
//	CheckRoot (root)               TxCount = transfers + withdrawals + deposits; the
//	                                 output covers the batch from chunk 0, from zero
//	                                 accumulators and counts, at the pre-state root,
//	                                 ending at the statement's roots and counts
//	Public (root)                  = SHA-256 of batch.Statement.Encode, built from
//	                                 the statement's fields (roots as canonical
//	                                 254-bit decompositions, integers as range-checked
//	                                 big-endian bytes), reduced mod r — exactly
//	                                 Statement.PublicInput
//	Batch (inner fold)             unused: free witnesses that reach no constraint
//	hint outputs                   the fold has no hint of its own; gnark's (emulated
//	                                 arithmetic, pairing, bit decompositions, SHA-256
//	                                 lookups, the range checker) are constrained by
//	                                 their gadgets
//
// TestFoldSolver (fold_test.go) runs valid folds and every case of the
// table it breaks: reordered, skipped and duplicated chunks, a tampered
// child statement, a child under a rogue key, a chunk proof passed as a
// fold, a wrong output, a wrong or inconsistent root statement, a root not
// covering the batch, a root compiled for other keys.

package fold
