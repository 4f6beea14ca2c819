package settle

import (
	"context"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/zkfleet/zkfleet/contracts/bindings"
)

// ProgramContract is a deployed ProgramVerifier reached through a Client.
type ProgramContract struct {
	c     *Client
	addr  common.Address
	abi   *bindings.ProgramVerifier
	bound *bind.BoundContract
}

// Program binds the ProgramVerifier at addr.
func (c *Client) Program(ctx context.Context, addr common.Address) (*ProgramContract, error) {
	if err := c.hasCode(ctx, addr); err != nil {
		return nil, err
	}
	p := bindings.NewProgramVerifier()
	return &ProgramContract{c: c, addr: addr, abi: p, bound: p.Instance(c.backend, addr)}, nil
}

// Address is the contract's address.
func (p *ProgramContract) Address() common.Address { return p.addr }

// Verify runs the view verify(statement, proof): nil if the chain accepts
// the proof, else a *RevertError with the reason. It returns the digest.
func (p *ProgramContract) Verify(ctx context.Context, s *ProgramStatement, proof []byte) (*big.Int, error) {
	data, err := p.abi.TryPackVerify(s.Binding(), proof)
	if err != nil {
		return nil, err
	}
	out, err := p.bound.CallRaw(&bind.CallOpts{Context: ctx, From: p.c.from}, data)
	if err != nil {
		return nil, revertFrom("verify", err)
	}
	return p.abi.UnpackVerify(out)
}

// Record sends record(statement, proof), storing the verified digest on
// chain.
func (p *ProgramContract) Record(ctx context.Context, s *ProgramStatement, proof []byte) (*types.Receipt, error) {
	data, err := p.abi.TryPackRecord(s.Binding(), proof)
	if err != nil {
		return nil, err
	}
	return p.c.transact(ctx, "record", p.bound, data, nil)
}

// Verified reports whether the statement with digest d has been recorded.
func (p *ProgramContract) Verified(ctx context.Context, d *big.Int) (bool, error) {
	return bind.Call(p.bound, &bind.CallOpts{Context: ctx}, p.abi.PackVerified(d), p.abi.UnpackVerified)
}

// StatementDigest asks the contract for the digest of s.
func (p *ProgramContract) StatementDigest(ctx context.Context, s *ProgramStatement) (*big.Int, error) {
	return bind.Call(p.bound, &bind.CallOpts{Context: ctx}, p.abi.PackStatementDigest(s.Binding()), p.abi.UnpackStatementDigest)
}
