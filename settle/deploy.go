package settle

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/zkfleet/zkfleet/contracts/bindings"
)

// Deployment is the set of contracts `zkfleet settle deploy` creates.
type Deployment struct {
	Verifier         common.Address `json:"verifier"`
	RollupSettlement common.Address `json:"rollup_settlement,omitempty"`
	ProgramVerifier  common.Address `json:"program_verifier,omitempty"`
	// Gas spent by each deployment.
	Gas map[string]uint64 `json:"gas"`
}

// DeployVerifier deploys a verifier's creation bytecode (the solc output of
// ExportVerifier's source).
func (c *Client) DeployVerifier(ctx context.Context, bytecode []byte) (common.Address, uint64, error) {
	addr, rcpt, err := c.deploy(ctx, "verifier", bytecode, nil)
	if err != nil {
		return common.Address{}, 0, err
	}
	return addr, rcpt.GasUsed, nil
}

// DeployRollup deploys a RollupSettlement that verifies with verifier and
// starts at genesis root with batch firstBatchID next.
func (c *Client) DeployRollup(ctx context.Context, verifier common.Address, genesis [32]byte, firstBatchID uint64) (*RollupContract, uint64, error) {
	r := bindings.NewRollupSettlement()
	args := r.PackConstructor(verifier, genesis, firstBatchID)
	addr, rcpt, err := c.deploy(ctx, "RollupSettlement", common.FromHex(bindings.RollupSettlementMetaData.Bin), args)
	if err != nil {
		return nil, 0, err
	}
	rc, err := c.Rollup(ctx, addr)
	if err != nil {
		return nil, 0, err
	}
	return rc, rcpt.GasUsed, nil
}

// DeployProgram deploys a ProgramVerifier that verifies with verifier.
func (c *Client) DeployProgram(ctx context.Context, verifier common.Address) (*ProgramContract, uint64, error) {
	p := bindings.NewProgramVerifier()
	args := p.PackConstructor(verifier)
	addr, rcpt, err := c.deploy(ctx, "ProgramVerifier", common.FromHex(bindings.ProgramVerifierMetaData.Bin), args)
	if err != nil {
		return nil, 0, err
	}
	pc, err := c.Program(ctx, addr)
	if err != nil {
		return nil, 0, err
	}
	return pc, rcpt.GasUsed, nil
}

// hasCode checks that a contract is deployed at addr.
func (c *Client) hasCode(ctx context.Context, addr common.Address) error {
	code, err := c.backend.CodeAt(ctx, addr, nil)
	if err != nil {
		return fmt.Errorf("settle: code at %s: %w", addr.Hex(), err)
	}
	if len(code) == 0 {
		return fmt.Errorf("settle: no contract at %s", addr.Hex())
	}
	return nil
}
