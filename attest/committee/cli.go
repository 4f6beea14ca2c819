package committee

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/zkfleet/zkfleet/attest"
	"github.com/zkfleet/zkfleet/attest/node"
	"github.com/zkfleet/zkfleet/guest"
)

// CLIOptions are the client settings of `zkfleet attest`.
type CLIOptions struct {
	// TokenFile holds the nodes' bearer token; ZKFLEET_NODE_TOKEN is read
	// when it is empty.
	TokenFile string
	CAFile    string
	Timeout   time.Duration
}

// Client builds the node client from the options.
func (o CLIOptions) Client() (*Client, error) {
	var tok string
	switch {
	case o.TokenFile != "":
		b, err := os.ReadFile(o.TokenFile)
		if err != nil {
			return nil, fmt.Errorf("committee: read token: %w", err)
		}
		tok = strings.TrimSpace(string(b))
	default:
		v, ok := os.LookupEnv(node.EnvToken)
		if !ok {
			return nil, fmt.Errorf("committee: no bearer token: give --token-file or set %s", node.EnvToken)
		}
		tok = strings.TrimSpace(v)
	}
	return NewClient(ClientOptions{Token: tok, CAFile: o.CAFile, Timeout: o.Timeout})
}

// RunKeygen is `zkfleet attest keygen`: it runs the key generation on the
// nodes and writes the committee file to out.
func RunKeygen(ctx context.Context, o CLIOptions, nodes []string, threshold int, out string, log *slog.Logger) (*Config, error) {
	if out == "" {
		return nil, errors.New("committee: --out is required")
	}
	for i, u := range nodes {
		nodes[i] = strings.TrimRight(strings.TrimSpace(u), "/")
		if !strings.HasPrefix(nodes[i], "https://") && !strings.HasPrefix(nodes[i], "http://") {
			return nil, fmt.Errorf("committee: node %q is not an http(s) URL", u)
		}
	}
	c, err := o.Client()
	if err != nil {
		return nil, err
	}
	cfg, err := Keygen(ctx, c, nodes, threshold, log)
	if err != nil {
		return nil, err
	}
	return cfg, cfg.Save(out)
}

// SignInputs name the files of `zkfleet attest sign`.
type SignInputs struct {
	Committee string
	// StatementDigest is hex; when empty it is read from the zkfleet proof
	// file's statement (node.ProofFileStatementDigest).
	StatementDigest string
	Proof           string
	// ELF is a file or example:NAME.
	ELF   string
	Input string
}

// Request reads the files into an attestation request.
func (in SignInputs) Request() (*attest.Request, error) {
	if in.Proof == "" {
		return nil, errors.New("committee: --proof is required")
	}
	req := &attest.Request{}
	var err error
	if req.Proof, err = os.ReadFile(in.Proof); err != nil {
		return nil, fmt.Errorf("committee: %w", err)
	}
	if name, ok := strings.CutPrefix(in.ELF, "example:"); ok {
		if req.ELF, err = guest.Example(name); err != nil {
			return nil, fmt.Errorf("committee: %w", err)
		}
	} else if in.ELF != "" {
		if req.ELF, err = os.ReadFile(in.ELF); err != nil {
			return nil, fmt.Errorf("committee: %w", err)
		}
	}
	if in.Input != "" {
		if req.Input, err = os.ReadFile(in.Input); err != nil {
			return nil, fmt.Errorf("committee: %w", err)
		}
	}
	if in.StatementDigest != "" {
		if req.StatementDigest, err = attest.ParseDigest(in.StatementDigest); err != nil {
			return nil, fmt.Errorf("committee: --statement-digest: %w", err)
		}
		return req, nil
	}
	return ProofRequest(req.Proof, req.ELF, req.Input)
}

// ProofRequest is the attestation request for a zkfleet proof file of the
// program elf run on input: the statement digest is read from the file
// (node.ProofFileStatementDigest); every node verifies the proof before it
// signs. This is what a coordinator's attesting phase asks for.
func ProofRequest(proof, elf, input []byte) (*attest.Request, error) {
	d, err := node.ProofFileStatementDigest(proof)
	if err != nil {
		return nil, fmt.Errorf("committee: statement of the proof file: %w", err)
	}
	return &attest.Request{StatementDigest: d, Proof: proof, ELF: elf, Input: input}, nil
}

// RunSign is `zkfleet attest sign`.
func RunSign(ctx context.Context, o CLIOptions, in SignInputs, log *slog.Logger) (*Result, error) {
	cfg, err := LoadConfig(in.Committee)
	if err != nil {
		return nil, err
	}
	req, err := in.Request()
	if err != nil {
		return nil, err
	}
	c, err := o.Client()
	if err != nil {
		return nil, err
	}
	com, err := New(cfg, c, log)
	if err != nil {
		return nil, err
	}
	return com.Attest(ctx, req)
}

// VerifyInputs name the files of `zkfleet attest verify`.
type VerifyInputs struct {
	Attestation string
	// Committee or GroupKey (hex) gives the trusted group key.
	Committee string
	GroupKey  string
	// Proof and StatementDigest, when given, must be what the attestation
	// names.
	Proof           string
	StatementDigest string
}

// RunVerify is `zkfleet attest verify`.
func RunVerify(in VerifyInputs) (*attest.Attestation, error) {
	raw, err := os.ReadFile(in.Attestation)
	if err != nil {
		return nil, fmt.Errorf("committee: %w", err)
	}
	var att attest.Attestation
	if err := jsonUnmarshalStrict(raw, &att); err != nil {
		return nil, fmt.Errorf("committee: attestation: %w", err)
	}
	var key []byte
	switch {
	case in.Committee != "" && in.GroupKey != "":
		return nil, errors.New("committee: give --committee or --group-key, not both")
	case in.Committee != "":
		cfg, err := LoadConfig(in.Committee)
		if err != nil {
			return nil, err
		}
		key = cfg.GroupKey
	case in.GroupKey != "":
		if key, err = hex.DecodeString(in.GroupKey); err != nil {
			return nil, fmt.Errorf("committee: --group-key: %w", err)
		}
	default:
		return nil, errors.New("committee: the trusted group key is required (--committee or --group-key)")
	}
	if err := attest.VerifyAttestation(key, &att); err != nil {
		return nil, err
	}
	if in.Proof != "" {
		p, err := os.ReadFile(in.Proof)
		if err != nil {
			return nil, fmt.Errorf("committee: %w", err)
		}
		if attest.ProofHash(p) != att.ProofHash {
			return nil, fmt.Errorf("%w: it attests proof %s, not %s", attest.ErrBadAttestation, att.ProofHash, in.Proof)
		}
	}
	if in.StatementDigest != "" {
		d, err := attest.ParseDigest(in.StatementDigest)
		if err != nil {
			return nil, fmt.Errorf("committee: --statement-digest: %w", err)
		}
		if d != att.StatementDigest {
			return nil, fmt.Errorf("%w: it attests statement %s, not %s", attest.ErrBadAttestation, att.StatementDigest, d)
		}
	}
	return &att, nil
}
