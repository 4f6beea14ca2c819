package settle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/ethereum/go-ethereum/common"
)

// Settler modes.
const (
	ModeRPC  = "rpc"
	ModeSim  = "sim"
	ModeMock = "mock"
)

// Config selects and configures a Settler.
type Config struct {
	// Mode is ModeRPC, ModeSim or ModeMock.
	Mode string
	// RPC mode: the chain's JSON-RPC URL, the signing key file and the
	// deployed RollupSettlement.
	RPC      string
	KeyFile  string
	Contract common.Address
	// Sim and mock modes start a fresh chain (or bookkeeping) at Genesis
	// with batch FirstBatchID next; sim deploys VerifierBytecode (the
	// compiled export of the final proof's verifying key) and a
	// RollupSettlement using it.
	VerifierBytecode []byte
	Genesis          [32]byte
	FirstBatchID     uint64
}

// Open returns the Settler cfg describes and a function that releases it.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (Settler, func() error, error) {
	if log == nil {
		log = slog.Default()
	}
	switch cfg.Mode {
	case ModeMock:
		log.Warn("settlement is MOCK: batches are not settled on any chain")
		return NewMockSettler(cfg.Genesis, cfg.FirstBatchID, log), func() error { return nil }, nil
	case ModeSim:
		if len(cfg.VerifierBytecode) == 0 {
			return nil, nil, errors.New("settle: sim mode needs the verifier's bytecode")
		}
		sim, err := NewSim(ctx, log)
		if err != nil {
			return nil, nil, err
		}
		v, _, err := sim.DeployVerifier(ctx, cfg.VerifierBytecode)
		if err != nil {
			_ = sim.Close()
			return nil, nil, err
		}
		rc, _, err := sim.DeployRollup(ctx, v, cfg.Genesis, cfg.FirstBatchID)
		if err != nil {
			_ = sim.Close()
			return nil, nil, err
		}
		return rc, sim.Close, nil
	case ModeRPC:
		if cfg.RPC == "" || cfg.KeyFile == "" || cfg.Contract == (common.Address{}) {
			return nil, nil, errors.New("settle: rpc mode needs --settle-rpc, --settle-key and --settle-contract")
		}
		c, err := DialRPC(ctx, cfg.RPC, cfg.KeyFile, log)
		if err != nil {
			return nil, nil, err
		}
		rc, err := c.Rollup(ctx, cfg.Contract)
		if err != nil {
			c.Close()
			return nil, nil, err
		}
		return rc, func() error { c.Close(); return nil }, nil
	default:
		return nil, nil, fmt.Errorf("settle: unknown mode %q (want %s, %s or %s)", cfg.Mode, ModeRPC, ModeSim, ModeMock)
	}
}
