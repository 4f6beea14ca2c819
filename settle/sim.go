package settle

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"log/slog"
	"math/big"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"
)

// Sim is an in-process simulated Ethereum chain (go-ethereum's
// ethclient/simulated: a real EVM and state, blocks mined on demand) with
// one funded account and a Client sending from it. It is the "sim" settler
// mode and the chain of the settlement tests.
type Sim struct {
	*Client
	Backend *simulated.Backend
	Key     *ecdsa.PrivateKey
}

// SimFunds is the simulated account's starting balance: 10^6 ether.
var SimFunds = new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))

// NewSim starts a simulated chain. extra accounts get SimFunds too. Close
// it when done.
func NewSim(ctx context.Context, log *slog.Logger, extra ...*ecdsa.PrivateKey) (*Sim, error) {
	key, err := crypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	alloc := types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: SimFunds}}
	for _, k := range extra {
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: SimFunds}
	}
	b := simulated.NewBackend(alloc, func(_ *node.Config, ec *ethconfig.Config) {
		ec.Genesis.Config = OsakaConfig()
	})
	c, err := NewClient(ctx, b.Client(), key, "sim", log)
	if err != nil {
		_ = b.Close()
		return nil, fmt.Errorf("settle: simulated chain: %w", err)
	}
	c.mine = func() { b.Commit() }
	return &Sim{Client: c, Backend: b, Key: key}, nil
}

// OsakaConfig is the simulated chain's configuration: go-ethereum's dev
// chain stopped at Osaka, the fork Ethereum mainnet runs, rather than the
// dev chain's default of every scheduled fork (whose state-gas repricing
// would make the measured gas unlike mainnet's).
func OsakaConfig() *params.ChainConfig {
	cfg := *params.AllDevChainProtocolChanges
	cfg.AmsterdamTime = nil
	cfg.BogotaTime = nil
	return &cfg
}

// ClientFor is a Client of the same chain sending from key (an account
// passed to NewSim).
func (s *Sim) ClientFor(ctx context.Context, key *ecdsa.PrivateKey) (*Client, error) {
	c, err := NewClient(ctx, s.Backend.Client(), key, "sim", s.log)
	if err != nil {
		return nil, err
	}
	c.mine = s.mine
	return c, nil
}

// Close stops the chain.
func (s *Sim) Close() error { return s.Backend.Close() }
