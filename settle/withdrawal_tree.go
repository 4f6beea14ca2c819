package settle

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Withdrawal is one withdrawal of a batch: Amount gwei paid to Recipient on
// L1 once the batch is settled.
type Withdrawal struct {
	Recipient common.Address
	Amount    uint64
}

// WithdrawalLeaf is keccak256(abi.encode(uint256(index), recipient,
// amount)). Three words, so a leaf never has the 64-byte shape of an inner
// node's preimage.
func WithdrawalLeaf(index uint32, w Withdrawal) common.Hash {
	var buf [3 * 32]byte
	new(big.Int).SetUint64(uint64(index)).FillBytes(buf[0:32])
	copy(buf[32+12:64], w.Recipient[:])
	new(big.Int).SetUint64(w.Amount).FillBytes(buf[64:96])
	return crypto.Keccak256Hash(buf[:])
}

// TreeDepth is ceil(log2(n)) for n ≥ 1 (0 for n ≤ 1): the depth of the
// withdrawal tree of n leaves.
func TreeDepth(n uint32) int {
	d := 0
	for uint64(1)<<d < uint64(n) {
		d++
	}
	return d
}

// WithdrawalTree is the keccak256 Merkle tree over a batch's withdrawals
// that RollupSettlement.claimWithdrawal checks paths against: leaves
// WithdrawalLeaf(i, wᵢ), padded with zero hashes to 2^TreeDepth(n), inner
// node keccak256(left ‖ right). Its root is the statement's
// WithdrawalRoot (the zero hash for no withdrawals).
type WithdrawalTree struct {
	levels [][]common.Hash // levels[0] = padded leaves, last = [root]
	n      uint32
}

// MaxWithdrawals bounds one batch's withdrawals (the tree holds them all in
// memory).
const MaxWithdrawals = 1 << 20

// NewWithdrawalTree builds the tree of ws.
func NewWithdrawalTree(ws []Withdrawal) (*WithdrawalTree, error) {
	if len(ws) > MaxWithdrawals {
		return nil, fmt.Errorf("settle: %d withdrawals, at most %d per batch", len(ws), MaxWithdrawals)
	}
	n := uint32(len(ws))
	t := &WithdrawalTree{n: n}
	if n == 0 {
		t.levels = [][]common.Hash{{{}}}
		return t, nil
	}
	leaves := make([]common.Hash, 1<<TreeDepth(n))
	for i, w := range ws {
		leaves[i] = WithdrawalLeaf(uint32(i), w)
	}
	t.levels = append(t.levels, leaves)
	for cur := leaves; len(cur) > 1; {
		next := make([]common.Hash, len(cur)/2)
		for i := range next {
			next[i] = crypto.Keccak256Hash(cur[2*i][:], cur[2*i+1][:])
		}
		t.levels = append(t.levels, next)
		cur = next
	}
	return t, nil
}

// Root is the tree's root.
func (t *WithdrawalTree) Root() common.Hash { return t.levels[len(t.levels)-1][0] }

// Len is the number of withdrawals.
func (t *WithdrawalTree) Len() uint32 { return t.n }

// Proof returns the siblings of leaf index from the leaf up.
func (t *WithdrawalTree) Proof(index uint32) ([][32]byte, error) {
	if index >= t.n {
		return nil, fmt.Errorf("settle: withdrawal %d out of range (%d)", index, t.n)
	}
	sib := make([][32]byte, 0, len(t.levels)-1)
	i := index
	for _, level := range t.levels[:len(t.levels)-1] {
		sib = append(sib, level[i^1])
		i >>= 1
	}
	return sib, nil
}

// VerifyWithdrawal checks a path the way the contract does.
func VerifyWithdrawal(root common.Hash, count, index uint32, w Withdrawal, siblings [][32]byte) bool {
	if index >= count || len(siblings) != TreeDepth(count) {
		return false
	}
	node := WithdrawalLeaf(index, w)
	for k, s := range siblings {
		if index>>k&1 == 0 {
			node = crypto.Keccak256Hash(node[:], s[:])
		} else {
			node = crypto.Keccak256Hash(s[:], node[:])
		}
	}
	return node == root
}
