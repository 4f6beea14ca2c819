package committee

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"filippo.io/edwards25519"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/api"
	"github.com/zkfleet/zkfleet/attest/frost"
)

// Fault kinds: why a node was left out of a signature.
const (
	FaultUnreachable = "unreachable" // no answer (down, timeout, TLS)
	FaultRefused     = "refused"     // the node refused to attest (its verifier rejected the proof)
	FaultBadShare    = "bad_share"   // its signature share failed verification against its verifying share
	FaultProtocol    = "protocol"    // any other error or malformed answer
)

// ErrBadShare is wrapped by a Fault of kind FaultBadShare.
var ErrBadShare = errors.New("signature share does not verify against the node's verifying share")

// Fault names a node that did not contribute to a signature, and why.
type Fault struct {
	Identifier uint16
	URL        string
	Kind       string
	Err        error
}

func (f *Fault) Error() string {
	return fmt.Sprintf("node %d (%s): %s: %v", f.Identifier, f.URL, f.Kind, f.Err)
}

func (f *Fault) Unwrap() error { return f.Err }

// AttestError is an attestation that could not gather threshold valid
// shares; Faults names every node left out.
type AttestError struct {
	Threshold int
	Faults    []*Fault
}

func (e *AttestError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "committee: fewer than %d nodes contributed a valid signature share", e.Threshold)
	for _, f := range e.Faults {
		b.WriteString("\n  ")
		b.WriteString(f.Error())
	}
	return b.String()
}

// Unwrap exposes the faults to errors.Is/As.
func (e *AttestError) Unwrap() []error {
	out := make([]error, len(e.Faults))
	for i, f := range e.Faults {
		out[i] = f
	}
	return out
}

// Result is a completed attestation and the nodes that were left out on
// the way (a bad share, a refusal, an unreachable node).
type Result struct {
	Attestation *attest.Attestation
	Faults      []*Fault
}

// Committee signs attestations with a committee's nodes.
type Committee struct {
	cfg    *Config
	pub    *frost.PublicKeyPackage
	client *Client
	log    *slog.Logger
}

// New prepares a committee from its description.
func New(cfg *Config, client *Client, log *slog.Logger) (*Committee, error) {
	pub, err := cfg.Public()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	return &Committee{cfg: cfg, pub: pub, client: client, log: log}, nil
}

type signer struct {
	member     Member
	nonceID    string
	commitment frost.Commitment
}

// Attest asks the committee to attest req. Round one asks every member not
// yet faulted for nonce commitments; the first threshold of them (by
// identifier) get round two. Every share is checked against its node's
// verifying share before it is combined; a node that fails, refuses or
// sends a bad share is recorded as a Fault and left out, and the round is
// retried with fresh nonces while threshold members remain. The signature
// is an Ed25519 signature over req.Claim().Message() under the group key.
func (c *Committee) Attest(ctx context.Context, req *attest.Request) (*Result, error) {
	claim := req.Claim()
	msg := claim.Message()
	faults := map[uint16]*Fault{}
	faultList := func() []*Fault {
		out := make([]*Fault, 0, len(faults))
		for _, m := range c.cfg.Members {
			if f, ok := faults[m.Identifier]; ok {
				out = append(out, f)
			}
		}
		return out
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var live []Member
		for _, m := range c.cfg.Members {
			if _, bad := faults[m.Identifier]; !bad {
				live = append(live, m)
			}
		}
		if len(live) < c.cfg.Threshold {
			return nil, &AttestError{Threshold: c.cfg.Threshold, Faults: faultList()}
		}
		signers := c.roundOne(ctx, live, faults)
		if len(signers) < c.cfg.Threshold {
			continue
		}
		signers = signers[:c.cfg.Threshold]
		sig, err := c.roundTwo(ctx, req, msg, signers, faults)
		if err != nil {
			return nil, err
		}
		if sig == nil {
			continue
		}
		att := &attest.Attestation{Claim: claim, GroupKey: c.cfg.GroupKey, Signature: sig}
		for _, s := range signers {
			att.Signers = append(att.Signers, s.member.Identifier)
		}
		if err := attest.VerifyAttestation(c.cfg.PublicKey(), att); err != nil {
			return nil, err
		}
		res := &Result{Attestation: att, Faults: faultList()}
		for _, f := range res.Faults {
			c.log.WarnContext(ctx, "attestation node left out", "node", f.Identifier, "url", f.URL, "kind", f.Kind, "err", f.Err)
		}
		c.log.InfoContext(ctx, "attested", "statement", claim.StatementDigest.String(), "signers", att.Signers)
		return res, nil
	}
}

func classify(m Member, err error) *Fault {
	f := &Fault{Identifier: m.Identifier, URL: m.URL, Kind: FaultProtocol, Err: err}
	var ne *NodeError
	if errors.As(err, &ne) {
		switch {
		case ne.Status == 0:
			f.Kind = FaultUnreachable
		case ne.Status == http.StatusUnprocessableEntity:
			f.Kind = FaultRefused
		}
	}
	return f
}

// roundOne collects commitments from live members, sorted by identifier.
// Members that fail are added to faults.
func (c *Committee) roundOne(ctx context.Context, live []Member, faults map[uint16]*Fault) []signer {
	out := make([]*signer, len(live))
	errs := forEach(len(live), func(i int) error {
		m := live[i]
		var resp api.CommitmentResponse
		if err := c.client.call(ctx, m.URL, api.PathCommitment, &api.CommitmentRequest{GroupKey: c.cfg.GroupKey}, &resp); err != nil {
			return err
		}
		if resp.Commitment.Identifier != m.Identifier {
			return fmt.Errorf("commitment under identifier %d", resp.Commitment.Identifier)
		}
		fc, err := frost.NewCommitment(frost.Identifier(m.Identifier), resp.Commitment.Hiding, resp.Commitment.Binding)
		if err != nil {
			return err
		}
		out[i] = &signer{member: m, nonceID: resp.NonceID, commitment: fc}
		return nil
	})
	var signers []signer
	for i, err := range errs {
		if err != nil {
			faults[live[i].Identifier] = classify(live[i], err)
			continue
		}
		signers = append(signers, *out[i])
	}
	// The signing package lists commitments by increasing identifier,
	// whatever the order of the committee file.
	slices.SortFunc(signers, func(a, b signer) int { return int(a.member.Identifier) - int(b.member.Identifier) })
	return signers
}

// roundTwo asks the signers for their shares and combines them. It
// returns a nil signature after recording the faulty nodes, and an error
// only for a failure that is no node's fault.
func (c *Committee) roundTwo(ctx context.Context, req *attest.Request, msg []byte, signers []signer, faults map[uint16]*Fault) ([]byte, error) {
	commitments := make([]frost.Commitment, len(signers))
	wire := make([]api.Commitment, len(signers))
	for i, s := range signers {
		commitments[i] = s.commitment
		wire[i] = api.FromCommitment(s.commitment)
	}
	shares := make([]*edwards25519.Scalar, len(signers))
	errs := forEach(len(signers), func(i int) error {
		s := signers[i]
		fr := api.FragmentRequest{
			GroupKey: c.cfg.GroupKey, NonceID: s.nonceID, StatementDigest: req.StatementDigest,
			Proof: req.Proof, ELF: req.ELF, Input: req.Input, Commitments: wire,
		}
		var resp api.FragmentResponse
		if err := c.client.call(ctx, s.member.URL, api.PathFragment, &fr, &resp); err != nil {
			return err
		}
		if resp.Identifier != s.member.Identifier {
			return fmt.Errorf("share under identifier %d", resp.Identifier)
		}
		z, err := frost.DecodeScalar(resp.Share)
		if err != nil {
			return err
		}
		if err := frost.VerifyShare(c.pub, frost.Identifier(s.member.Identifier), z, msg, commitments); err != nil {
			return &Fault{Identifier: s.member.Identifier, URL: s.member.URL, Kind: FaultBadShare, Err: fmt.Errorf("%w: %v", ErrBadShare, err)}
		}
		shares[i] = z
		return nil
	})
	ok := true
	for i, err := range errs {
		if err == nil {
			continue
		}
		ok = false
		var f *Fault
		if !errors.As(err, &f) {
			f = classify(signers[i].member, err)
		}
		faults[signers[i].member.Identifier] = f
	}
	if !ok {
		return nil, nil
	}
	byID := make(map[frost.Identifier]*edwards25519.Scalar, len(signers))
	for i, s := range signers {
		byID[frost.Identifier(s.member.Identifier)] = shares[i]
	}
	sig, err := frost.Aggregate(c.pub, msg, commitments, byID)
	if err != nil {
		// Every share verified, so this is not a node's fault.
		return nil, fmt.Errorf("committee: aggregate: %w", err)
	}
	return sig, nil
}
