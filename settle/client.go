package settle

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// Backend is what a Client needs from a chain: go-ethereum's ethclient over
// JSON-RPC and the simulated backend's client both are one.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ChainID(ctx context.Context) (*big.Int, error)
}

// Client sends zkfleet's contract transactions from one key. Every
// transaction is first run as a call, so that a refusal comes back with the
// contract's reason before any gas is spent, then sent and waited for;
// transactions from one Client are serialised (one nonce sequence).
type Client struct {
	backend Backend
	key     *ecdsa.PrivateKey
	from    common.Address
	chainID *big.Int
	name    string
	// mine, when set, makes the chain produce a block (the simulated
	// backend only mines on demand).
	mine func()
	log  *slog.Logger
	// close releases the connection (JSON-RPC clients).
	close func()

	mu sync.Mutex
}

// Close releases the client's connection to the chain.
func (c *Client) Close() {
	if c.close != nil {
		c.close()
	}
}

// NewClient returns a Client sending from key on backend. name labels its
// records ("rpc", "sim").
func NewClient(ctx context.Context, backend Backend, key *ecdsa.PrivateKey, name string, log *slog.Logger) (*Client, error) {
	if key == nil {
		return nil, errors.New("settle: no signing key")
	}
	id, err := backend.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("settle: chain id: %w", err)
	}
	if log == nil {
		log = slog.Default()
	}
	return &Client{backend: backend, key: key, from: crypto.PubkeyToAddress(key.PublicKey), chainID: id, name: name, log: log}, nil
}

// From is the sending address.
func (c *Client) From() common.Address { return c.from }

// Backend is the chain the client talks to.
func (c *Client) Backend() Backend { return c.backend }

func (c *Client) opts(ctx context.Context, value *big.Int) *bind.TransactOpts {
	o := bind.NewKeyedTransactor(c.key, c.chainID)
	o.Context = ctx
	o.Value = value
	return o
}

// transact runs calldata against contract as a call (to get a refusal's
// reason), then sends it with value wei and waits for its receipt. A
// reverted receipt is reported as a RevertError too.
func (c *Client) transact(ctx context.Context, op string, contract *bind.BoundContract, calldata []byte, value *big.Int) (*types.Receipt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	call := &bind.CallOpts{Context: ctx, From: c.from}
	// A value-carrying call is checked by the gas estimate of RawTransact,
	// which returns the revert data the same way.
	if value == nil || value.Sign() == 0 {
		if _, err := contract.CallRaw(call, calldata); err != nil {
			return nil, revertFrom(op, err)
		}
	}
	opts := c.opts(ctx, value)
	tx, err := contract.RawTransact(opts, calldata)
	if err != nil {
		return nil, revertFrom(op, err)
	}
	return c.wait(ctx, op, tx)
}

func (c *Client) wait(ctx context.Context, op string, tx *types.Transaction) (*types.Receipt, error) {
	if c.mine != nil {
		c.mine()
	}
	rcpt, err := bind.WaitMined(ctx, c.backend, tx.Hash())
	if err != nil {
		return nil, &PendingError{Op: op, TxHash: tx.Hash(), Err: err}
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return rcpt, &RevertError{Op: op, Reason: fmt.Sprintf("transaction %s reverted in block %d", tx.Hash().Hex(), rcpt.BlockNumber)}
	}
	c.log.Debug("settle: transaction mined", "op", op, "tx", tx.Hash().Hex(), "block", rcpt.BlockNumber, "gas", rcpt.GasUsed)
	return rcpt, nil
}

// deploy deploys creation code bytecode ‖ constructorArgs.
func (c *Client) deploy(ctx context.Context, what string, bytecode, constructorArgs []byte) (common.Address, *types.Receipt, error) {
	if len(bytecode) == 0 {
		return common.Address{}, nil, fmt.Errorf("settle: deploy %s: empty bytecode", what)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	addr, tx, err := bind.DeployContract(c.opts(ctx, nil), bytecode, c.backend, constructorArgs)
	if err != nil {
		return common.Address{}, nil, revertFrom("deploy "+what, err)
	}
	rcpt, err := c.wait(ctx, "deploy "+what, tx)
	if err != nil {
		return common.Address{}, rcpt, err
	}
	if rcpt.ContractAddress != addr {
		return common.Address{}, rcpt, fmt.Errorf("settle: deploy %s: receipt address %s, expected %s", what, rcpt.ContractAddress.Hex(), addr.Hex())
	}
	c.log.Info("settle: deployed", "contract", what, "address", addr.Hex(), "gas", rcpt.GasUsed)
	return addr, rcpt, nil
}
