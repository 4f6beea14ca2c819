package batch

import (
	"errors"
	"fmt"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/zkfleet/zkfleet/zkvm/claim"
)

// A chunk statement as a zkVM claim: the groundwork of the plan to fold
// rollup chunks with the zkVM's fold circuit (docs/ARCHITECTURE.md, "Plan:
// one fold for both kinds"). The zkVM fold's rule — globals equal, each
// lane of the left child's End equal to the right child's Start, bus sums
// added — is then exactly Combine. The chunk circuit (rollup/circuit)
// publishes the digest of its statement's Claim; nothing folds chunk
// proofs yet.

// Lanes of claim.State that a chunk claim uses; the others are zero.
const (
	LaneCursor          = iota // chunks covered before this proof (Start) and after it (End)
	LaneRoot                   // state root
	LaneBatchHash              // Accumulators.BatchHash
	LaneWithdrawals            // Accumulators.Withdrawals
	LaneDeposits               // Accumulators.Deposits
	LaneTxs                    // Counts.Txs
	LaneWithdrawalCount        // Counts.Withdrawals
	LaneDepositCount           // Counts.Deposits
	chunkLanes
)

var _ [claim.StateWidth - chunkLanes]struct{} // the lanes fit a claim.State

// Claim is c as a zkVM claim under the rollup's verifying-key set vkSet:
// Challenge = batch id, InputLen = BusSum = Commitment = 0, Start = (First,
// PreRoot, AccIn, CountIn), End = (First+Count, PostRoot, AccOut, CountOut).
func (c *ChunkStatement) Claim(vkSet fr.Element) claim.Claim {
	var cl claim.Claim
	cl.Challenge, cl.VKSet = claim.U64(c.BatchID), vkSet
	cl.Start = chunkState(c.First, c.PreRoot, c.AccIn, c.CountIn)
	cl.End = chunkState(c.First+c.Count, c.PostRoot, c.AccOut, c.CountOut)
	return cl
}

func chunkState(cursor uint64, root fr.Element, acc Accumulators, n Counts) claim.State {
	var s claim.State
	s[LaneCursor], s[LaneRoot] = claim.U64(cursor), root
	s[LaneBatchHash], s[LaneWithdrawals], s[LaneDeposits] = acc.BatchHash, acc.Withdrawals, acc.Deposits
	s[LaneTxs], s[LaneWithdrawalCount], s[LaneDepositCount] = claim.U64(n.Txs), claim.U64(n.Withdrawals), claim.U64(n.Deposits)
	return s
}

// ChunkFromClaim is the inverse of Claim for a chunk's claim or a fold of
// chunk claims (whose Commitment is the fold's combination, not checked
// here): the unused lanes, InputLen and BusSum must be zero, the batch id,
// cursors and counts 64-bit integers, and the proof must cover at least
// one chunk.
func ChunkFromClaim(cl *claim.Claim) (ChunkStatement, error) {
	var c ChunkStatement
	if !cl.InputLen.IsZero() || !cl.BusSum.IsZero() {
		return c, errors.New("batch: a chunk claim has no input length and no bus sum")
	}
	for i := chunkLanes; i < claim.StateWidth; i++ {
		if !cl.Start[i].IsZero() || !cl.End[i].IsZero() {
			return c, fmt.Errorf("batch: lane %d of a chunk claim is not zero", i)
		}
	}
	var err error
	u64 := func(e fr.Element, what string) uint64 {
		if err != nil {
			return 0
		}
		if !e.IsUint64() {
			err = fmt.Errorf("batch: the chunk claim's %s is not a 64-bit integer", what)
			return 0
		}
		return e.Uint64()
	}
	c.BatchID = u64(cl.Challenge, "batch id")
	start, end := u64(cl.Start[LaneCursor], "start cursor"), u64(cl.End[LaneCursor], "end cursor")
	c.CountIn = Counts{Txs: u64(cl.Start[LaneTxs], "tx count"), Withdrawals: u64(cl.Start[LaneWithdrawalCount], "withdrawal count"),
		Deposits: u64(cl.Start[LaneDepositCount], "deposit count")}
	c.CountOut = Counts{Txs: u64(cl.End[LaneTxs], "tx count"), Withdrawals: u64(cl.End[LaneWithdrawalCount], "withdrawal count"),
		Deposits: u64(cl.End[LaneDepositCount], "deposit count")}
	if err != nil {
		return ChunkStatement{}, err
	}
	if end <= start {
		return ChunkStatement{}, fmt.Errorf("batch: a chunk claim covers chunks %d to %d: none", start, end)
	}
	c.First, c.Count = start, end-start
	c.PreRoot, c.PostRoot = cl.Start[LaneRoot], cl.End[LaneRoot]
	c.AccIn = Accumulators{BatchHash: cl.Start[LaneBatchHash], Withdrawals: cl.Start[LaneWithdrawals], Deposits: cl.Start[LaneDeposits]}
	c.AccOut = Accumulators{BatchHash: cl.End[LaneBatchHash], Withdrawals: cl.End[LaneWithdrawals], Deposits: cl.End[LaneDeposits]}
	return c, nil
}

// CheckRootClaim is CheckRoot on the claim of the root of a fold tree of
// chunk claims, which must be under the rollup's verifying-key set vkSet.
func CheckRootClaim(stmt *Statement, root *claim.Claim, vkSet fr.Element) error {
	if !root.VKSet.Equal(&vkSet) {
		return errors.New("batch: the root claim is not under the rollup's verifying keys")
	}
	c, err := ChunkFromClaim(root)
	if err != nil {
		return err
	}
	return CheckRoot(stmt, &c)
}
