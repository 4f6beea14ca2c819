// Package circuit is the chunk circuit of a rollup batch: K transaction
// slots applied in order to a state root, chaining pre_root → post_root and
// the running batch-hash, withdrawal and deposit accumulators and counts.
// Like every zkfleet leaf proof, it has exactly one public input — the
// digest of a zkVM claim (zkvm/claim): the chunk statement as
// batch.ChunkStatement.Claim(vkSet) — and, through gnark's range checker,
// one BSB22 commitment, so a chunk proof has the zkVM leaves' shape and
// its claim chains under the zkVM fold's rule exactly as batch.Combine
// (docs/ARCHITECTURE.md, "The real backend").
//
// # A slot
//
// Selectors IsTransfer, IsWithdrawal, IsDeposit (all zero: an empty slot).
// Side A is the signer (transfer, withdrawal): its leaf
// Compress(PKHash(Owner), balance | nonce<<64 | TagLeaf<<240) is opened at
// the current root, the signature over the message is checked, the
// balance is debited and the nonce bumped, and the new leaf on the same
// path gives the middle root. Side B is the receiver (transfer, deposit):
// its leaf (or the empty leaf 0 when a deposit creates the account) is
// opened at the middle root, credited, and gives the next root. Then the
// accumulators absorb the slot's entries (see package rollup/tx).
//
// # Soundness: what pins every value
//
//	value                          pinned by
//	-----------------------------  -------------------------------------------------
//	Digest (public)                = the claim digest (gadget.Claim.Digest, claim.Hash)
//	                               recomputed in-circuit from the statement laid out
//	                               as batch.ChunkStatement.Claim: Challenge = BatchID,
//	                               InputLen = BusSum = Commitment = 0, cursor lane
//	                               First → First+1 (the chunk count fixed to 1),
//	                               lanes 8..13 zero
//	VKSet                          free witness bound by Digest; the fold forces one
//	                               VKSet per tree and the final check pins it, as for
//	                               the zkVM's leaves
//	statement fields               bound by Digest; PreRoot/AccIn/CountIn start the
//	                               chain, PostRoot/AccOut/CountOut asserted at the end
//	BatchID, First, counts         not range-checked here: the fold only chains them
//	                               (each chunk advances the cursor by exactly 1), the
//	                               final check (batch.CheckRootClaim) takes the root's
//	                               as 64-bit integers from 0
//	kind of proof                  not in the claim (a chunk claim has no tag of its
//	                               own): the VK set tells a chunk from a zkVM leaf
//	                               (agg.RollupSet vs agg.ZKVMSet)
//	selectors, ReceiverNew         AssertIsBoolean; sum of selectors Boolean;
//	                               ReceiverNew ⇒ IsDeposit
//	path bits                      AssertIsBoolean each (api.Select asserts it too);
//	                               Σ bit·2^l = From (side A) or To (side B), so an
//	                               index < 2^depth and the path is the index's path
//	siblings                       free witnesses, but the opened root must equal
//	                               the current root (collision resistance)
//	Owner, SigR                    AssertIsOnCurve; Owner's hash opens leaf A (signed)
//	                               or is the deposit's key (deposit entry, leaf B)
//	SigS                           < subgroup order (eddsa.IsValid)
//	signature                      eddsa.IsValid(…) = 1 when IsTransfer+IsWithdrawal
//	                               (challenge hash Poseidon2 of R, A, message)
//	Nonce                          one variable is both the nonce in the signed
//	                               message and the nonce in sender's old leaf, so a
//	                               signature is good at exactly one nonce (no replay)
//	From (deposit), To (withdrawal) only fix the unused side's path bits; not hashed
//	Amount, Nonce, balances,       64-bit range checks (rangecheck, log-derivative
//	receiver nonce                 table under the commitment; its decomposition
//	                               hint's outputs are constrained by the gadget)
//	new balances, new nonce        64-bit range checks: balance ≥ amount (no wrap
//	                               below zero), no overflow on credit or nonce
//	Recipient                      160-bit range check (an EVM address)
//	ReceiverPKHash                 opens leaf B at the middle root (transfer); unused
//	                               for a deposit (the deposit key's hash is used)
//	ReceiverBalance, -Nonce        open leaf B; zero when ReceiverNew
//	message, entries, queue entry  computed in-circuit from pinned values; packings
//	                               injective by the range checks and tag bits 240..
//	inactive side                  its root check multiplied by its selector; its root
//	                               update selected away, so its witness is irrelevant
//
// No hint of this package produces a value that reaches a hash, a
// comparison or a lookup unconstrained.
package circuit

import (
	"fmt"
	"math/big"

	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	"github.com/consensys/gnark/std/hash/poseidon2"
	p2perm "github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/std/rangecheck"
	"github.com/consensys/gnark/std/signature/eddsa"

	"github.com/zkfleet/zkfleet/rollup/batch"
	"github.com/zkfleet/zkfleet/rollup/state"
	"github.com/zkfleet/zkfleet/zkvm/circuit/gadget"
)

// Path is a Merkle path: Bits[l] says the path node at level l is a right
// child, Siblings[l] is its sibling.
type Path struct {
	Bits     []frontend.Variable
	Siblings []frontend.Variable
}

// Slot is one transaction slot (see the package doc).
type Slot struct {
	IsTransfer, IsWithdrawal, IsDeposit frontend.Variable

	From, To, Recipient, Amount, Nonce frontend.Variable

	Owner twistededwards.Point
	SigR  twistededwards.Point
	SigS  frontend.Variable

	SenderBalance frontend.Variable
	SenderPath    Path

	ReceiverPKHash, ReceiverBalance, ReceiverNonce, ReceiverNew frontend.Variable
	ReceiverPath                                                Path
}

// Chunk is the chunk circuit for one shape.
type Chunk struct {
	Digest frontend.Variable `gnark:",public"` // batch.ChunkStatement.Claim(VKSet).Digest()

	VKSet             frontend.Variable // free: the fold and the final check pin it
	BatchID, First    frontend.Variable // Count is the constant 1
	PreRoot, PostRoot frontend.Variable
	AccIn, AccOut     [3]frontend.Variable // batch hash, withdrawals, deposits
	CountIn, CountOut [3]frontend.Variable // txs, withdrawals, deposits

	Slots []Slot
}

// New allocates an unassigned circuit of the given shape (for compiling).
func New(shape batch.Shape) (*Chunk, error) {
	if err := shape.Validate(); err != nil {
		return nil, err
	}
	c := &Chunk{Slots: make([]Slot, shape.Slots)}
	for i := range c.Slots {
		c.Slots[i].SenderPath = newPath(shape.Depth)
		c.Slots[i].ReceiverPath = newPath(shape.Depth)
	}
	return c, nil
}

func newPath(depth int) Path {
	return Path{Bits: make([]frontend.Variable, depth), Siblings: make([]frontend.Variable, depth)}
}

func pow2(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }

func tagged(tag uint64) *big.Int {
	return new(big.Int).Lsh(new(big.Int).SetUint64(tag), state.TagShift)
}

type env struct {
	api   frontend.API
	rc    frontend.Rangechecker
	curve twistededwards.Curve
	perm  *p2perm.Permutation
}

// Define implements frontend.Circuit.
func (c *Chunk) Define(api frontend.API) error {
	if len(c.Slots) == 0 {
		return fmt.Errorf("circuit: no slots")
	}
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return fmt.Errorf("circuit: %w", err)
	}
	perm, err := p2perm.NewPoseidon2(api)
	if err != nil {
		return fmt.Errorf("circuit: %w", err)
	}
	e := &env{api: api, rc: rangecheck.New(api), curve: curve, perm: perm}

	root := c.PreRoot
	acc := c.AccIn
	cnt := c.CountIn
	for i := range c.Slots {
		if root, err = e.slot(&c.Slots[i], root, &acc, &cnt); err != nil {
			return fmt.Errorf("circuit: slot %d: %w", i, err)
		}
	}
	api.AssertIsEqual(root, c.PostRoot)
	for k := range acc {
		api.AssertIsEqual(acc[k], c.AccOut[k])
		api.AssertIsEqual(cnt[k], c.CountOut[k])
	}

	cl := c.claim(api)
	d, err := cl.Digest(api)
	if err != nil {
		return fmt.Errorf("circuit: claim digest: %w", err)
	}
	api.AssertIsEqual(d, c.Digest)
	return nil
}

// claim is the statement as a zkVM claim, lane for lane as
// batch.ChunkStatement.Claim with Count = 1: Challenge = BatchID, InputLen
// = BusSum = Commitment = 0, Start = (First, PreRoot, AccIn, CountIn), End
// = (First+1, PostRoot, AccOut, CountOut), every other lane 0.
func (c *Chunk) claim(api frontend.API) *gadget.Claim {
	cl := &gadget.Claim{Challenge: c.BatchID, InputLen: 0, VKSet: c.VKSet, BusSum: 0, Commitment: 0}
	for i := range cl.Start {
		cl.Start[i], cl.End[i] = 0, 0
	}
	cl.Start[batch.LaneCursor], cl.End[batch.LaneCursor] = c.First, api.Add(c.First, 1)
	cl.Start[batch.LaneRoot], cl.End[batch.LaneRoot] = c.PreRoot, c.PostRoot
	accLanes := [3]int{batch.LaneBatchHash, batch.LaneWithdrawals, batch.LaneDeposits}
	countLanes := [3]int{batch.LaneTxs, batch.LaneWithdrawalCount, batch.LaneDepositCount}
	for k := range 3 {
		cl.Start[accLanes[k]], cl.End[accLanes[k]] = c.AccIn[k], c.AccOut[k]
		cl.Start[countLanes[k]], cl.End[countLanes[k]] = c.CountIn[k], c.CountOut[k]
	}
	return cl
}

// slot applies one slot to root and the accumulators; it returns the new
// root.
func (e *env) slot(s *Slot, root frontend.Variable, acc, cnt *[3]frontend.Variable) (frontend.Variable, error) {
	api := e.api
	api.AssertIsBoolean(s.IsTransfer)
	api.AssertIsBoolean(s.IsWithdrawal)
	api.AssertIsBoolean(s.IsDeposit)
	active := api.Add(s.IsTransfer, s.IsWithdrawal, s.IsDeposit)
	api.AssertIsBoolean(active)
	signed := api.Add(s.IsTransfer, s.IsWithdrawal)
	credited := api.Add(s.IsTransfer, s.IsDeposit)
	kind := api.Add(s.IsTransfer, api.Mul(s.IsWithdrawal, 2), api.Mul(s.IsDeposit, 3))

	// Ranges. Every integer that is packed, compared or updated.
	newSenderBal := api.Sub(s.SenderBalance, api.Mul(signed, s.Amount))
	newNonce := api.Add(s.Nonce, signed)
	newRecvBal := api.Add(s.ReceiverBalance, api.Mul(credited, s.Amount))
	for _, v := range []frontend.Variable{s.Amount, s.Nonce, s.SenderBalance, newSenderBal, newNonce,
		s.ReceiverBalance, s.ReceiverNonce, newRecvBal} {
		e.rc.Check(v, 64)
	}
	e.rc.Check(s.Recipient, 160)

	// Keys and the signed message.
	e.curve.AssertIsOnCurve(s.Owner)
	e.curve.AssertIsOnCurve(s.SigR)
	pkh := e.perm.Compress(s.Owner.X, s.Owner.Y)
	w1 := api.Add(kind, api.Mul(s.From, pow2(8)), api.Mul(s.Nonce, pow2(72)), tagged(state.TagMessage))
	w2 := api.Add(api.Mul(s.IsTransfer, s.To), api.Mul(s.IsWithdrawal, s.Recipient), api.Mul(s.Amount, pow2(160)))
	depWord := api.Add(3, api.Mul(s.To, pow2(8)), api.Mul(s.Amount, pow2(72)), tagged(state.TagDeposit))
	entry := e.perm.Compress(api.Select(s.IsDeposit, pkh, w1), api.Select(s.IsDeposit, depWord, w2))

	h, err := poseidon2.New(api)
	if err != nil {
		return nil, err
	}
	valid, err := eddsa.IsValid(e.curve, eddsa.Signature{R: s.SigR, S: s.SigS}, entry, eddsa.PublicKey{A: s.Owner}, h)
	if err != nil {
		return nil, err
	}
	api.AssertIsEqual(api.Mul(signed, api.Sub(1, valid)), 0)

	// Side A: the signer.
	leafTag := tagged(state.TagLeaf)
	oldA := e.perm.Compress(pkh, api.Add(s.SenderBalance, api.Mul(s.Nonce, pow2(64)), leafTag))
	newA := e.perm.Compress(pkh, api.Add(newSenderBal, api.Mul(newNonce, pow2(64)), leafTag))
	e.index(s.SenderPath.Bits, s.From)
	rootOldA := e.pathRoot(oldA, s.SenderPath)
	api.AssertIsEqual(api.Mul(signed, api.Sub(rootOldA, root)), 0)
	mid := api.Select(signed, e.pathRoot(newA, s.SenderPath), root)

	// Side B: the receiver.
	api.AssertIsBoolean(s.ReceiverNew)
	api.AssertIsEqual(api.Mul(s.ReceiverNew, api.Sub(1, s.IsDeposit)), 0)
	api.AssertIsEqual(api.Mul(s.ReceiverNew, s.ReceiverBalance), 0)
	api.AssertIsEqual(api.Mul(s.ReceiverNew, s.ReceiverNonce), 0)
	pkhB := api.Select(s.IsDeposit, pkh, s.ReceiverPKHash)
	oldB := e.perm.Compress(pkhB, api.Add(s.ReceiverBalance, api.Mul(s.ReceiverNonce, pow2(64)), leafTag))
	oldB = api.Select(s.ReceiverNew, 0, oldB)
	newB := e.perm.Compress(pkhB, api.Add(newRecvBal, api.Mul(s.ReceiverNonce, pow2(64)), leafTag))
	e.index(s.ReceiverPath.Bits, s.To)
	rootOldB := e.pathRoot(oldB, s.ReceiverPath)
	api.AssertIsEqual(api.Mul(credited, api.Sub(rootOldB, mid)), 0)
	next := api.Select(credited, e.pathRoot(newB, s.ReceiverPath), mid)

	// Accumulators and counts.
	acc[0] = api.Select(active, e.perm.Compress(acc[0], entry), acc[0])
	wEntry := api.Add(s.Recipient, api.Mul(s.Amount, pow2(160)), tagged(state.TagWithdrawal))
	qEntry := e.perm.Compress(pkh, api.Add(s.Amount, tagged(state.TagL1Deposit)))
	side := e.perm.Compress(api.Select(s.IsWithdrawal, acc[1], acc[2]), api.Select(s.IsWithdrawal, wEntry, qEntry))
	acc[1] = api.Select(s.IsWithdrawal, side, acc[1])
	acc[2] = api.Select(s.IsDeposit, side, acc[2])
	cnt[0] = api.Add(cnt[0], active)
	cnt[1] = api.Add(cnt[1], s.IsWithdrawal)
	cnt[2] = api.Add(cnt[2], s.IsDeposit)
	return next, nil
}

// index constrains bits to be Boolean and to be the binary digits of idx.
func (e *env) index(bits []frontend.Variable, idx frontend.Variable) {
	sum := frontend.Variable(0)
	for l, b := range bits {
		e.api.AssertIsBoolean(b)
		sum = e.api.Add(sum, e.api.Mul(b, pow2(uint(l))))
	}
	e.api.AssertIsEqual(sum, idx)
}

// pathRoot is the root the path leads to from leaf.
func (e *env) pathRoot(leaf frontend.Variable, p Path) frontend.Variable {
	cur := leaf
	for l := range p.Bits {
		left := e.api.Select(p.Bits[l], p.Siblings[l], cur)
		right := e.api.Sub(e.api.Add(cur, p.Siblings[l]), left)
		cur = e.perm.Compress(left, right)
	}
	return cur
}
