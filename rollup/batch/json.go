package batch

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	tedwards "github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"

	"github.com/zkfleet/zkfleet/rollup/state"
	"github.com/zkfleet/zkfleet/rollup/tx"
)

// MaxRequestBytes bounds a batch submission's JSON.
const MaxRequestBytes = 16 << 20

// Request is the JSON body of POST /v2/batch/prove.
//
// It keeps the original Core API's batch_id, pre/post state roots (hex,
// "0x" optional) and its shielded fields (only empty values are accepted:
// shielded transactions are not supported). Instead of a Merkle path per
// transfer, which the original could not keep consistent inside a batch,
// the transactions are one ordered list and the touched accounts come once,
// as a multiproof at the pre-state root (Accounts): the prover derives
// every later path itself.
type Request struct {
	BatchID          uint64          `json:"batch_id"`
	PreStateRoot     string          `json:"pre_state_root"`
	PostStateRoot    string          `json:"post_state_root,omitempty"`
	PreShieldedRoot  string          `json:"pre_shielded_root,omitempty"`
	PostShieldedRoot string          `json:"post_shielded_root,omitempty"`
	Shielded         json.RawMessage `json:"shielded,omitempty"`
	Transactions     []TxJSON        `json:"transactions"`
	Accounts         MultiProofJSON  `json:"accounts"`
}

// TxJSON is one transaction. Fields a kind does not use must be absent.
//
//	transfer:   type, from, to, amount, nonce, signature
//	withdrawal: type, from, l1_recipient, amount, nonce, signature
//	deposit:    type, to, pubkey, amount
type TxJSON struct {
	Type        string  `json:"type"` // "transfer" | "withdrawal" | "deposit"
	From        *uint64 `json:"from,omitempty"`
	To          *uint64 `json:"to,omitempty"`
	L1Recipient string  `json:"l1_recipient,omitempty"` // 20-byte hex
	Amount      Uint64  `json:"amount"`
	Nonce       *Uint64 `json:"nonce,omitempty"`
	PubKey      string  `json:"pubkey,omitempty"`    // 32-byte compressed BabyJubjub point, hex
	Signature   string  `json:"signature,omitempty"` // 64 bytes, hex: compressed R ‖ S (big-endian)
}

// MultiProofJSON is state.MultiProof: the opened leaves by increasing
// index (a leaf without pubkey is empty and proves the index free) and the
// sibling nodes the verifier cannot compute, level by level from the
// leaves up and by increasing index within a level, each "0x" + 64 hex of a
// canonical BN254 scalar.
type MultiProofJSON struct {
	Depth  int           `json:"depth"`
	Leaves []OpeningJSON `json:"leaves"`
	Nodes  []string      `json:"nodes"`
}

// OpeningJSON is one opened leaf.
type OpeningJSON struct {
	Index   uint64 `json:"index"`
	PubKey  string `json:"pubkey,omitempty"`
	Balance Uint64 `json:"balance"`
	Nonce   Uint64 `json:"nonce"`
}

// Uint64 is a uint64 that JSON may carry as a number or a decimal string
// (clients whose numbers are doubles lose precision above 2^53). It is
// written as a number.
type Uint64 uint64

// UnmarshalJSON accepts 123 or "123"; anything ≥ 2^64, negative or
// fractional is an error.
func (u *Uint64) UnmarshalJSON(b []byte) error {
	s := string(b)
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return fmt.Errorf("%s is not below 2^64", s)
		}
		return fmt.Errorf("%q is not an unsigned 64-bit integer", s)
	}
	*u = Uint64(v)
	return nil
}

// Parse reads an untrusted batch submission: at most MaxRequestBytes, one
// JSON object, no unknown fields, no trailing data, at most MaxTxs
// transactions and state.MaxOpenings leaves. It does not decode hex or
// check anything against state (Decode and Prepare do).
func Parse(data []byte) (*Request, error) {
	if len(data) > MaxRequestBytes {
		return nil, invalid(-1, "request of %d bytes, at most %d", len(data), MaxRequestBytes)
	}
	// Transactions are decoded one by one so an error names its index.
	var raw struct {
		Request
		Transactions []json.RawMessage `json:"transactions"`
	}
	if err := strictDecode(data, &raw); err != nil {
		return nil, invalid(-1, "malformed JSON: %v", err)
	}
	if len(raw.Transactions) > MaxTxs {
		return nil, invalid(-1, "%d transactions, at most %d", len(raw.Transactions), MaxTxs)
	}
	r := raw.Request
	r.Transactions = make([]TxJSON, len(raw.Transactions))
	for i, m := range raw.Transactions {
		if err := strictDecode(m, &r.Transactions[i]); err != nil {
			return nil, invalid(i, "malformed transaction: %v", err)
		}
	}
	if len(r.Accounts.Leaves) > state.MaxOpenings {
		return nil, invalid(-1, "%d opened accounts, at most %d", len(r.Accounts.Leaves), state.MaxOpenings)
	}
	if d := r.Accounts.Depth; d < 1 || d > state.MaxDepth {
		return nil, invalid(-1, "accounts.depth %d outside 1..%d", d, state.MaxDepth)
	}
	if max := len(r.Accounts.Leaves) * r.Accounts.Depth; len(r.Accounts.Nodes) > max {
		return nil, invalid(-1, "accounts.nodes has %d entries, at most %d for %d leaves", len(r.Accounts.Nodes), max, len(r.Accounts.Leaves))
	}
	return &r, nil
}

// strictDecode decodes exactly one JSON value with no unknown fields and
// nothing after it.
func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// Decode checks every field's encoding and returns the native batch.
func (r *Request) Decode() (*Batch, error) {
	b := &Batch{BatchID: r.BatchID}
	var err error
	if b.PreStateRoot, err = parseElem(r.PreStateRoot); err != nil {
		return nil, invalid(-1, "pre_state_root: %v", err)
	}
	if r.PostStateRoot != "" {
		e, err := parseElem(r.PostStateRoot)
		if err != nil {
			return nil, invalid(-1, "post_state_root: %v", err)
		}
		b.PostStateRoot = &e
	}
	for name, v := range map[string]string{"pre_shielded_root": r.PreShieldedRoot, "post_shielded_root": r.PostShieldedRoot} {
		if v == "" {
			continue
		}
		if e, err := parseElem(v); err != nil || !e.IsZero() {
			return nil, invalid(-1, "%s: shielded transactions are not supported (only an empty or zero root)", name)
		}
	}
	if s := bytes.TrimSpace(r.Shielded); len(s) > 0 && !bytes.Equal(s, []byte("[]")) && !bytes.Equal(s, []byte("null")) {
		return nil, invalid(-1, "shielded: shielded transactions are not supported")
	}
	b.Txs = make([]tx.Tx, len(r.Transactions))
	for i := range r.Transactions {
		if err := r.Transactions[i].decode(&b.Txs[i]); err != nil {
			return nil, invalid(i, "%v", err)
		}
	}
	mp, err := r.DecodeAccounts()
	if err != nil {
		return nil, err
	}
	b.Accounts = mp
	return b, nil
}

// DecodeAccounts decodes the accounts multiproof (without checking it
// against a root: state.VerifyMultiProof does).
func (r *Request) DecodeAccounts() (*state.MultiProof, error) {
	var err error
	mp := &state.MultiProof{Depth: r.Accounts.Depth, Leaves: make([]state.Opening, len(r.Accounts.Leaves)), Nodes: make([]fr.Element, len(r.Accounts.Nodes))}
	for i, l := range r.Accounts.Leaves {
		mp.Leaves[i].Index = l.Index
		if l.PubKey == "" {
			if l.Balance != 0 || l.Nonce != 0 {
				return nil, invalid(-1, "accounts.leaves[%d]: an empty leaf has no balance or nonce", i)
			}
			continue
		}
		pk, err := parsePubKey(l.PubKey)
		if err != nil {
			return nil, invalid(-1, "accounts.leaves[%d].pubkey: %v", i, err)
		}
		mp.Leaves[i].Account = &state.Account{PubKey: pk, Balance: uint64(l.Balance), Nonce: uint64(l.Nonce)}
	}
	for i, n := range r.Accounts.Nodes {
		if mp.Nodes[i], err = parseElem(n); err != nil {
			return nil, invalid(-1, "accounts.nodes[%d]: %v", i, err)
		}
	}
	return mp, nil
}

func (j *TxJSON) decode(t *tx.Tx) error {
	t.Amount = uint64(j.Amount)
	switch j.Type {
	case "transfer":
		t.Kind = tx.KindTransfer
		if j.From == nil || j.To == nil || j.Nonce == nil || j.Signature == "" {
			return errors.New("a transfer needs from, to, amount, nonce and signature")
		}
		if j.L1Recipient != "" || j.PubKey != "" {
			return errors.New("a transfer has no l1_recipient or pubkey")
		}
		t.From, t.To, t.Nonce = *j.From, *j.To, uint64(*j.Nonce)
	case "withdrawal":
		t.Kind = tx.KindWithdrawal
		if j.From == nil || j.Nonce == nil || j.Signature == "" || j.L1Recipient == "" {
			return errors.New("a withdrawal needs from, l1_recipient, amount, nonce and signature")
		}
		if j.To != nil || j.PubKey != "" {
			return errors.New("a withdrawal has no to or pubkey")
		}
		t.From, t.Nonce = *j.From, uint64(*j.Nonce)
		b, err := parseHex(j.L1Recipient, len(t.Recipient))
		if err != nil {
			return fmt.Errorf("l1_recipient: %w", err)
		}
		copy(t.Recipient[:], b)
	case "deposit":
		t.Kind = tx.KindDeposit
		if j.To == nil || j.PubKey == "" {
			return errors.New("a deposit needs to, pubkey and amount")
		}
		if j.From != nil || j.Nonce != nil || j.Signature != "" || j.L1Recipient != "" {
			return errors.New("a deposit has no from, nonce, signature or l1_recipient")
		}
		t.To = *j.To
		pk, err := parsePubKey(j.PubKey)
		if err != nil {
			return fmt.Errorf("pubkey: %w", err)
		}
		t.PubKey = pk
		return nil
	default:
		return fmt.Errorf("unknown transaction type %q (transfer, withdrawal or deposit)", j.Type)
	}
	sig, err := parseHex(j.Signature, tx.SignatureSize)
	if err != nil {
		return fmt.Errorf("signature: %w", err)
	}
	copy(t.Signature[:], sig)
	return nil
}

// NewRequest encodes a native batch as a submission.
func NewRequest(b *Batch) *Request {
	r := &Request{BatchID: b.BatchID, PreStateRoot: hexElem(b.PreStateRoot), Transactions: make([]TxJSON, len(b.Txs))}
	if b.PostStateRoot != nil {
		r.PostStateRoot = hexElem(*b.PostStateRoot)
	}
	for i := range b.Txs {
		t := &b.Txs[i]
		j := TxJSON{Type: t.Kind.String(), Amount: Uint64(t.Amount)}
		from, to, nonce := t.From, t.To, Uint64(t.Nonce)
		switch t.Kind {
		case tx.KindTransfer:
			j.From, j.To, j.Nonce = &from, &to, &nonce
			j.Signature = hex.EncodeToString(t.Signature[:])
		case tx.KindWithdrawal:
			j.From, j.Nonce = &from, &nonce
			j.L1Recipient = "0x" + hex.EncodeToString(t.Recipient[:])
			j.Signature = hex.EncodeToString(t.Signature[:])
		case tx.KindDeposit:
			j.To = &to
			j.PubKey = hexPubKey(&t.PubKey)
		}
		r.Transactions[i] = j
	}
	if mp := b.Accounts; mp != nil {
		r.Accounts.Depth = mp.Depth
		r.Accounts.Leaves = make([]OpeningJSON, len(mp.Leaves))
		for i, l := range mp.Leaves {
			o := OpeningJSON{Index: l.Index}
			if l.Account != nil {
				o.PubKey = hexPubKey(&l.Account.PubKey)
				o.Balance, o.Nonce = Uint64(l.Account.Balance), Uint64(l.Account.Nonce)
			}
			r.Accounts.Leaves[i] = o
		}
		r.Accounts.Nodes = make([]string, len(mp.Nodes))
		for i, n := range mp.Nodes {
			r.Accounts.Nodes[i] = hexElem(n)
		}
	}
	return r
}

func parseHex(s string, n int) ([]byte, error) {
	s = strings.TrimPrefix(s, "0x")
	if len(s) != 2*n {
		return nil, fmt.Errorf("want %d hex digits, got %d", 2*n, len(s))
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("not hex: %w", err)
	}
	return b, nil
}

func parseElem(s string) (fr.Element, error) {
	var e fr.Element
	b, err := parseHex(s, fr.Bytes)
	if err != nil {
		return e, err
	}
	if err := e.SetBytesCanonical(b); err != nil {
		return e, fmt.Errorf("not a canonical BN254 scalar: %w", err)
	}
	return e, nil
}

func parsePubKey(s string) (tedwards.PointAffine, error) {
	var p tedwards.PointAffine
	b, err := parseHex(s, 32)
	if err != nil {
		return p, err
	}
	if _, err := p.SetBytes(b); err != nil {
		return p, fmt.Errorf("not a compressed BabyJubjub point: %w", err)
	}
	if err := tx.ValidPubKey(&p); err != nil {
		return p, err
	}
	return p, nil
}

func hexPubKey(p *tedwards.PointAffine) string {
	b := p.Bytes()
	return "0x" + hex.EncodeToString(b[:])
}

// HexElem renders a field element as "0x" + 64 hex digits.
func HexElem(e fr.Element) string { return hexElem(e) }

// ParseBatch is Parse followed by Decode.
func ParseBatch(data []byte) (*Batch, error) {
	r, err := Parse(data)
	if err != nil {
		return nil, err
	}
	return r.Decode()
}
