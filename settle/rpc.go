package settle

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
)

// DialRPC connects to a JSON-RPC chain at url and signs with the secp256k1
// private key in keyFile (hex, as geth's `crypto.LoadECDSA` reads it). The
// key file must not be readable by group or others.
func DialRPC(ctx context.Context, url, keyFile string, log *slog.Logger) (*Client, error) {
	fi, err := os.Stat(keyFile)
	if err != nil {
		return nil, fmt.Errorf("settle: key file: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("settle: key file %s is readable by others (mode %v): chmod 600 it", keyFile, fi.Mode().Perm())
	}
	key, err := crypto.LoadECDSA(keyFile)
	if err != nil {
		return nil, fmt.Errorf("settle: key file %s: %w", keyFile, err)
	}
	ec, err := ethclient.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("settle: dial %s: %w", url, err)
	}
	c, err := NewClient(ctx, ec, key, "rpc", log)
	if err != nil {
		ec.Close()
		return nil, err
	}
	c.close = ec.Close
	return c, nil
}
