package node

import (
	"context"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"filippo.io/edwards25519"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/api"
	"github.com/zkfleet/zkfleet/attest/frost"
)

// DKG session stages.
const (
	stageRound1 = "round1"
	stageRound2 = "round2"
	stageDone   = "done"
)

// dkgRecord is a node's sealed state for one key generation.
type dkgRecord struct {
	Identifier   uint16
	Threshold    int
	Participants int
	Coefficients [][]byte
	X25519       []byte
	Stage        string
	Packages     []api.DKGPackage
	// Started is when round one ran (Unix seconds).
	Started int64
}

// keyRecord is a node's sealed key package.
type keyRecord struct {
	Identifier      uint16
	SigningShare    []byte
	GroupKey        []byte
	Threshold       int
	VerifyingShares []api.VerifyingShare
}

const sessionSize = 32

func checkSession(session []byte) error {
	if len(session) != sessionSize {
		return fail(http.StatusBadRequest, "session id of %d bytes, want %d", len(session), sessionSize)
	}
	return nil
}

// DKGRound1 starts key generation session req.Session as participant
// req.Identifier. A session runs once: a repeated round one is refused, so
// no one can obtain two polynomials of one node for the same session.
func (s *Server) DKGRound1(ctx context.Context, req *api.DKGRound1Request) (*api.DKGPackage, error) {
	if err := checkSession(req.Session); err != nil {
		return nil, err
	}
	if err := frost.CheckParams(req.Threshold, req.Participants); err != nil {
		return nil, fail(http.StatusBadRequest, "%v", err)
	}
	s.dkgMu.Lock()
	defer s.dkgMu.Unlock()
	var existing dkgRecord
	if found, err := s.store.get(bucketDKG, req.Session, &existing); err != nil {
		return nil, err
	} else if found {
		return nil, fail(http.StatusConflict, "dkg session %x already started", []byte(req.Session))
	}
	if err := s.expireDKG(); err != nil {
		return nil, err
	}
	sec, pkg, err := frost.DKGRound1(req.Session, frost.Identifier(req.Identifier), req.Threshold, req.Participants, rand.Reader)
	if err != nil {
		return nil, fail(http.StatusBadRequest, "%v", err)
	}
	xk, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	rec := dkgRecord{Identifier: req.Identifier, Threshold: req.Threshold, Participants: req.Participants, X25519: xk.Bytes(), Stage: stageRound1, Started: s.now().Unix()}
	for _, a := range sec.Coefficients {
		rec.Coefficients = append(rec.Coefficients, a.Bytes())
	}
	if err := s.store.put(bucketDKG, req.Session, &rec); err != nil {
		return nil, err
	}
	out := api.FromPackage(pkg, xk.PublicKey().Bytes())
	out.Identity = s.publicIdentity()
	out.Signature = ed25519.Sign(s.identity, api.PackageMessage(req.Session, req.Participants, &out))
	s.log.InfoContext(ctx, "dkg round one", "session", fmt.Sprintf("%x", []byte(req.Session)), "identifier", req.Identifier, "threshold", req.Threshold, "participants", req.Participants)
	return &out, nil
}

// expireDKG drops the secrets of unfinished key generations older than
// DKGTTL (keeping a tombstone) and refuses a new one when MaxPendingDKG are
// open. Called with dkgMu held.
func (s *Server) expireDKG() error {
	ids, err := s.store.keys(bucketDKG)
	if err != nil {
		return err
	}
	pending := 0
	for _, id := range ids {
		var rec dkgRecord
		if _, err := s.store.get(bucketDKG, id, &rec); err != nil {
			return err
		}
		if rec.Stage == stageDone {
			continue
		}
		if s.now().Sub(time.Unix(rec.Started, 0)) > DKGTTL {
			if err := s.store.put(bucketDKG, id, &dkgRecord{Identifier: rec.Identifier, Stage: stageDone}); err != nil {
				return err
			}
			continue
		}
		pending++
	}
	if pending >= s.maxDKG {
		return &Error{Status: http.StatusServiceUnavailable, Err: fmt.Errorf("%d key generations already open", pending)}
	}
	return nil
}

func (rec *dkgRecord) secret() (*frost.DKGSecret, error) {
	sec := &frost.DKGSecret{ID: frost.Identifier(rec.Identifier), Threshold: rec.Threshold}
	for _, b := range rec.Coefficients {
		a, err := frost.DecodeScalar(b)
		if err != nil {
			return nil, err
		}
		sec.Coefficients = append(sec.Coefficients, a)
	}
	return sec, nil
}

func complaintsOf(err error) []api.Complaint {
	var out []api.Complaint
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var de *frost.DealerError
		if errors.As(err, &de) {
			out = append(out, api.Complaint{Dealer: uint16(de.Dealer), Reason: de.Err.Error()})
		}
	}
	walk(err)
	return out
}

func complaint(err error) error {
	return &Error{Status: http.StatusUnprocessableEntity, Err: err, Complaints: complaintsOf(err)}
}

// packagesOf decodes and checks every participant's package: exactly one
// per identifier 1..n, this node's own package unchanged, every proof of
// knowledge valid. Invalid packages are complaints naming their dealers.
func (s *Server) packagesOf(session []byte, rec *dkgRecord, list []api.DKGPackage) (map[frost.Identifier]*frost.DKGPackage, error) {
	if len(list) != rec.Participants {
		return nil, fail(http.StatusBadRequest, "%d packages for %d participants", len(list), rec.Participants)
	}
	out := make(map[frost.Identifier]*frost.DKGPackage, len(list))
	seen := map[string]bool{}
	var complaints []error
	for _, p := range list {
		id := frost.Identifier(p.Identifier)
		if !id.Valid() || int(id) > rec.Participants {
			return nil, fail(http.StatusBadRequest, "package from identifier %d outside 1..%d", id, rec.Participants)
		}
		if _, dup := out[id]; dup {
			return nil, fail(http.StatusBadRequest, "two packages from %d", id)
		}
		if len(p.EncryptionKey) != 32 {
			complaints = append(complaints, &frost.DealerError{Dealer: id, Err: errors.New("missing X25519 encryption key")})
			continue
		}
		if err := s.checkIdentity(session, rec.Participants, &p, seen); err != nil {
			complaints = append(complaints, &frost.DealerError{Dealer: id, Err: err})
			continue
		}
		fp, err := api.ToPackage(p, rec.Threshold)
		if err == nil {
			err = frost.VerifyPackage(session, fp, rec.Threshold)
		}
		if err != nil {
			complaints = append(complaints, err)
			continue
		}
		out[id] = fp
	}
	if len(complaints) > 0 {
		return nil, complaint(errors.Join(complaints...))
	}
	sec, err := rec.secret()
	if err != nil {
		return nil, err
	}
	if i := slices.IndexFunc(list, func(p api.DKGPackage) bool { return p.Identifier == rec.Identifier }); !slices.Equal(list[i].Identity, s.publicIdentity()) {
		return nil, fail(http.StatusBadRequest, "the package under this node's identifier %d carries another identity", rec.Identifier)
	}
	own := out[frost.Identifier(rec.Identifier)]
	for k, a := range sec.Coefficients {
		if edwards25519.NewIdentityPoint().ScalarBaseMult(a).Equal(own.Commitments[k]) != 1 {
			return nil, fail(http.StatusBadRequest, "the package under this node's identifier %d is not its own", rec.Identifier)
		}
	}
	return out, nil
}

func (s *Server) publicIdentity() attest.HexBytes {
	return attest.HexBytes(s.identity.Public().(ed25519.PublicKey))
}

// checkIdentity verifies a package's identity signature, that no two
// packages share an identity, and, when peers are pinned, that the
// identity is one of them.
func (s *Server) checkIdentity(session []byte, participants int, p *api.DKGPackage, seen map[string]bool) error {
	if len(p.Identity) != ed25519.PublicKeySize || !ed25519.Verify(ed25519.PublicKey(p.Identity), api.PackageMessage(session, participants, p), p.Signature) {
		return errors.New("package not signed by its identity key")
	}
	if seen[string(p.Identity)] {
		return fmt.Errorf("identity %x used by two participants", []byte(p.Identity))
	}
	seen[string(p.Identity)] = true
	if len(s.peers) > 0 && !slices.Equal(p.Identity, s.publicIdentity()) && !slices.ContainsFunc(s.peers, func(k ed25519.PublicKey) bool { return slices.Equal(k, ed25519.PublicKey(p.Identity)) }) {
		return fmt.Errorf("identity %x is not among this node's pinned peers", []byte(p.Identity))
	}
	return nil
}

// shareKey derives the key sealing f_from(to) for this session.
func shareKey(priv *ecdh.PrivateKey, peer []byte, session []byte, from, to uint16) (key, ad []byte, err error) {
	pub, err := ecdh.X25519().NewPublicKey(peer)
	if err != nil {
		return nil, nil, err
	}
	shared, err := priv.ECDH(pub)
	if err != nil {
		return nil, nil, err
	}
	ad = binary.BigEndian.AppendUint16([]byte("zkfleet/attest/dkg-share/v1\x00"), from)
	ad = binary.BigEndian.AppendUint16(ad, to)
	key, err = hkdf.Key(sha256.New, shared, session, string(ad), 32)
	return key, ad, err
}

// DKGRound2 checks every participant's package and deals this node's
// shares, each sealed to its recipient.
func (s *Server) DKGRound2(ctx context.Context, req *api.DKGRound2Request) (*api.DKGRound2Response, error) {
	if err := checkSession(req.Session); err != nil {
		return nil, err
	}
	s.dkgMu.Lock()
	defer s.dkgMu.Unlock()
	var rec dkgRecord
	if found, err := s.store.get(bucketDKG, req.Session, &rec); err != nil {
		return nil, err
	} else if !found {
		return nil, fail(http.StatusNotFound, "no dkg session %x", []byte(req.Session))
	}
	if rec.Stage != stageRound1 {
		return nil, fail(http.StatusConflict, "dkg session is not waiting for round two (stage %s)", rec.Stage)
	}
	if _, err := s.packagesOf(req.Session, &rec, req.Packages); err != nil {
		s.log.WarnContext(ctx, "dkg round two refused", "err", err)
		return nil, err
	}
	sec, err := rec.secret()
	if err != nil {
		return nil, err
	}
	priv, err := ecdh.X25519().NewPrivateKey(rec.X25519)
	if err != nil {
		return nil, err
	}
	resp := &api.DKGRound2Response{}
	for _, p := range req.Packages {
		if p.Identifier == rec.Identifier {
			continue
		}
		key, ad, err := shareKey(priv, p.EncryptionKey, req.Session, rec.Identifier, p.Identifier)
		if err != nil {
			return nil, complaint(&frost.DealerError{Dealer: frost.Identifier(p.Identifier), Err: fmt.Errorf("encryption key: %w", err)})
		}
		ct, err := sealWith(key, sec.ShareFor(frost.Identifier(p.Identifier)).Bytes(), ad)
		if err != nil {
			return nil, err
		}
		resp.Shares = append(resp.Shares, api.EncryptedShare{From: rec.Identifier, To: p.Identifier, Ciphertext: ct})
	}
	rec.Stage = stageRound2
	rec.Packages = req.Packages
	if err := s.store.put(bucketDKG, req.Session, &rec); err != nil {
		return nil, err
	}
	return resp, nil
}

// DKGShare receives the shares dealt to this node, checks each against its
// dealer's commitments, and stores the resulting key package.
func (s *Server) DKGShare(ctx context.Context, req *api.ShareRequest) (*api.ShareResponse, error) {
	if err := checkSession(req.Session); err != nil {
		return nil, err
	}
	s.dkgMu.Lock()
	defer s.dkgMu.Unlock()
	var rec dkgRecord
	if found, err := s.store.get(bucketDKG, req.Session, &rec); err != nil {
		return nil, err
	} else if !found {
		return nil, fail(http.StatusNotFound, "no dkg session %x", []byte(req.Session))
	}
	if rec.Stage != stageRound2 {
		return nil, fail(http.StatusConflict, "dkg session is not waiting for shares (stage %s)", rec.Stage)
	}
	pkgs, err := s.packagesOf(req.Session, &rec, rec.Packages)
	if err != nil {
		return nil, err
	}
	sec, err := rec.secret()
	if err != nil {
		return nil, err
	}
	priv, err := ecdh.X25519().NewPrivateKey(rec.X25519)
	if err != nil {
		return nil, err
	}
	me := frost.Identifier(rec.Identifier)
	received := map[frost.Identifier]*edwards25519.Scalar{me: sec.ShareFor(me)}
	var complaints []error
	for _, es := range req.Shares {
		from := frost.Identifier(es.From)
		if es.To != rec.Identifier {
			return nil, fail(http.StatusBadRequest, "share addressed to %d delivered to %d", es.To, rec.Identifier)
		}
		if _, ok := pkgs[from]; !ok || from == me {
			return nil, fail(http.StatusBadRequest, "share from unexpected dealer %d", from)
		}
		if _, dup := received[from]; dup {
			return nil, fail(http.StatusBadRequest, "two shares from dealer %d", from)
		}
		peer := rec.Packages[slices.IndexFunc(rec.Packages, func(p api.DKGPackage) bool { return p.Identifier == es.From })].EncryptionKey
		key, ad, err := shareKey(priv, peer, req.Session, es.From, es.To)
		if err != nil {
			complaints = append(complaints, &frost.DealerError{Dealer: from, Err: err})
			continue
		}
		plain, err := openWith(key, es.Ciphertext, ad)
		if err != nil {
			complaints = append(complaints, &frost.DealerError{Dealer: from, Err: fmt.Errorf("share: %w", err)})
			continue
		}
		v, err := frost.DecodeScalar(plain)
		if err != nil {
			complaints = append(complaints, &frost.DealerError{Dealer: from, Err: err})
			continue
		}
		received[from] = v
	}
	if len(complaints) > 0 {
		err := errors.Join(complaints...)
		s.log.WarnContext(ctx, "dkg complaint", "err", err)
		return nil, complaint(err)
	}
	kp, err := frost.DKGFinalize(sec, pkgs, received)
	if err != nil {
		s.log.WarnContext(ctx, "dkg complaint", "err", err)
		if len(complaintsOf(err)) > 0 {
			return nil, complaint(err)
		}
		return nil, err
	}
	resp := api.FromPublic(me, kp.Public)
	key := keyRecord{Identifier: rec.Identifier, SigningShare: kp.SigningShare.Bytes(), GroupKey: resp.GroupKey, Threshold: resp.Threshold, VerifyingShares: resp.VerifyingShares}
	if err := s.store.put(bucketKeys, resp.GroupKey, &key); err != nil {
		return nil, err
	}
	// The polynomial and the X25519 key are no longer needed: forget them,
	// keeping a tombstone so the session id cannot start again.
	if err := s.store.put(bucketDKG, req.Session, &dkgRecord{Identifier: rec.Identifier, Stage: stageDone}); err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "dkg complete", "group_key", fmt.Sprintf("%x", []byte(resp.GroupKey)), "identifier", rec.Identifier)
	return resp, nil
}

// keyPackage loads the key package for a group key.
func (s *Server) keyPackage(groupKey []byte) (*frost.KeyPackage, error) {
	if len(groupKey) != frost.ElementSize {
		return nil, fail(http.StatusBadRequest, "group key of %d bytes", len(groupKey))
	}
	var rec keyRecord
	found, err := s.store.get(bucketKeys, groupKey, &rec)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fail(http.StatusNotFound, "this node holds no share of group key %x", groupKey)
	}
	pub, err := api.ToPublic(rec.GroupKey, rec.Threshold, rec.VerifyingShares)
	if err != nil {
		return nil, err
	}
	share, err := frost.DecodeScalar(rec.SigningShare)
	if err != nil {
		return nil, err
	}
	return &frost.KeyPackage{ID: frost.Identifier(rec.Identifier), SigningShare: share, Public: pub}, nil
}
