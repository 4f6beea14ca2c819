package committee

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/api"
	"github.com/zkfleet/zkfleet/attest/frost"
)

// KeygenError reports a key generation that did not complete. Complaints
// name the dealers that were rejected, by node identifier (0 for the
// driver's own checks of the round-one packages).
type KeygenError struct {
	Stage      string
	Complaints map[uint16][]api.Complaint
	Err        error
}

func (e *KeygenError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "committee: keygen %s: %v", e.Stage, e.Err)
	for _, node := range slices.Sorted(maps.Keys(e.Complaints)) {
		for _, c := range e.Complaints[node] {
			who := fmt.Sprintf("node %d", node)
			if node == 0 {
				who = "the driver"
			}
			fmt.Fprintf(&b, "\n  %s complains about dealer %d: %s", who, c.Dealer, c.Reason)
		}
	}
	return b.String()
}

func (e *KeygenError) Unwrap() error { return e.Err }

// Accused lists the dealers named by any complaint.
func (e *KeygenError) Accused() []uint16 {
	var out []uint16
	for _, cs := range e.Complaints {
		for _, c := range cs {
			if !slices.Contains(out, c.Dealer) {
				out = append(out, c.Dealer)
			}
		}
	}
	slices.Sort(out)
	return out
}

// forEach runs f for every node concurrently and joins the failures.
func forEach(n int, f func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = f(i) })
	}
	wg.Wait()
	return errs
}

func stageError(stage string, errs []error) error {
	ke := &KeygenError{Stage: stage, Complaints: map[uint16][]api.Complaint{}}
	var all []error
	for i, err := range errs {
		if err == nil {
			continue
		}
		all = append(all, fmt.Errorf("node %d: %w", i+1, err))
		var ne *NodeError
		if errors.As(err, &ne) && len(ne.Complaints) > 0 {
			ke.Complaints[uint16(i+1)] = ne.Complaints
		}
	}
	if len(all) == 0 {
		return nil
	}
	ke.Err = errors.Join(all...)
	return ke
}

// Keygen runs the dealerless key generation on the nodes at urls (node i
// gets identifier i+1) for a t-of-len(urls) committee. Shares travel sealed
// to their recipients, so the driver never sees one. Every node must end
// with the same public key package, which is returned as the committee's
// Config.
func Keygen(ctx context.Context, c *Client, urls []string, threshold int, log *slog.Logger) (*Config, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := frost.CheckParams(threshold, len(urls)); err != nil {
		return nil, err
	}
	session := make([]byte, 32)
	if _, err := rand.Read(session); err != nil {
		return nil, err
	}
	n := len(urls)
	log.InfoContext(ctx, "keygen", "nodes", n, "threshold", threshold, "session", fmt.Sprintf("%x", session))

	pkgs := make([]api.DKGPackage, n)
	if err := stageError("round one", forEach(n, func(i int) error {
		req := api.DKGRound1Request{Session: session, Identifier: uint16(i + 1), Threshold: threshold, Participants: n}
		if err := c.call(ctx, urls[i], api.PathDKGRound1, &req, &pkgs[i]); err != nil {
			return err
		}
		if pkgs[i].Identifier != uint16(i+1) {
			return fmt.Errorf("answered as identifier %d", pkgs[i].Identifier)
		}
		return nil
	})); err != nil {
		return nil, err
	}

	// The driver checks the packages too: it names a bad dealer even if
	// the nodes did not, and it can compute the public key package the
	// nodes must end with.
	decoded := make(map[frost.Identifier]*frost.DKGPackage, n)
	var bad []error
	for _, p := range pkgs {
		fp, err := api.ToPackage(p, threshold)
		if err == nil {
			err = frost.VerifyPackage(session, fp, threshold)
		}
		if err == nil && (len(p.Identity) != ed25519.PublicKeySize || !ed25519.Verify(ed25519.PublicKey(p.Identity), api.PackageMessage(session, n, &p), p.Signature)) {
			err = &frost.DealerError{Dealer: frost.Identifier(p.Identifier), Err: errors.New("package not signed by its identity key")}
		}
		if err != nil {
			bad = append(bad, err)
			continue
		}
		decoded[fp.ID] = fp
	}
	if len(bad) > 0 {
		ke := &KeygenError{Stage: "round one", Complaints: map[uint16][]api.Complaint{}, Err: errors.Join(bad...)}
		for _, err := range bad {
			var de *frost.DealerError
			if errors.As(err, &de) {
				ke.Complaints[0] = append(ke.Complaints[0], api.Complaint{Dealer: uint16(de.Dealer), Reason: de.Err.Error()})
			}
		}
		return nil, ke
	}
	want, err := frost.DKGPublic(decoded, threshold)
	if err != nil {
		return nil, &KeygenError{Stage: "round one", Err: err}
	}

	dealt := make([]api.DKGRound2Response, n)
	if err := stageError("round two", forEach(n, func(i int) error {
		req := api.DKGRound2Request{Session: session, Packages: pkgs}
		if err := c.call(ctx, urls[i], api.PathDKGRound2, &req, &dealt[i]); err != nil {
			return err
		}
		if len(dealt[i].Shares) != n-1 {
			return fmt.Errorf("dealt %d shares, want %d", len(dealt[i].Shares), n-1)
		}
		return nil
	})); err != nil {
		return nil, err
	}
	inbox := make([][]api.EncryptedShare, n)
	for i, d := range dealt {
		for _, s := range d.Shares {
			if s.From != uint16(i+1) || s.To < 1 || int(s.To) > n || s.To == s.From {
				return nil, &KeygenError{Stage: "round two", Err: fmt.Errorf("node %d dealt a share from %d to %d", i+1, s.From, s.To)}
			}
			inbox[s.To-1] = append(inbox[s.To-1], s)
		}
	}

	results := make([]api.ShareResponse, n)
	if err := stageError("share delivery", forEach(n, func(i int) error {
		req := api.ShareRequest{Session: session, Shares: inbox[i]}
		return c.call(ctx, urls[i], api.PathShare, &req, &results[i])
	})); err != nil {
		return nil, err
	}
	ref := api.FromPublic(1, want)
	for i, r := range results {
		if r.Identifier != uint16(i+1) || !slices.Equal(r.GroupKey, ref.GroupKey) || r.Threshold != threshold ||
			!slices.EqualFunc(r.VerifyingShares, ref.VerifyingShares, func(a, b api.VerifyingShare) bool {
				return a.Identifier == b.Identifier && slices.Equal(a.Key, b.Key)
			}) {
			return nil, &KeygenError{Stage: "result", Err: fmt.Errorf("node %d ended with a public key package that differs from the one of the published commitments", i+1)}
		}
	}
	cfg := &Config{GroupKey: ref.GroupKey, Threshold: threshold}
	for i, vs := range ref.VerifyingShares {
		if vs.Identifier != uint16(i+1) || i >= n {
			return nil, &KeygenError{Stage: "result", Err: errors.New("verifying shares do not match the nodes")}
		}
		cfg.Members = append(cfg.Members, Member{Identifier: vs.Identifier, URL: urls[i], VerifyingShare: vs.Key, Identity: pkgs[i].Identity})
	}
	if len(cfg.Members) != n {
		return nil, &KeygenError{Stage: "result", Err: fmt.Errorf("%d verifying shares for %d nodes", len(cfg.Members), n)}
	}
	if _, err := cfg.Public(); err != nil {
		return nil, err
	}
	log.InfoContext(ctx, "keygen complete", "group_key", attest.HexBytes(cfg.GroupKey))
	return cfg, nil
}
