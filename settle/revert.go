package settle

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/zkfleet/zkfleet/contracts/bindings"
)

// ErrReverted is wrapped by every RevertError.
var ErrReverted = errors.New("settle: transaction reverted")

// ErrPending is wrapped by every PendingError.
var ErrPending = errors.New("settle: transaction outcome unknown")

// PendingError is a transaction that was sent but whose receipt did not
// arrive (the context ended, or the node failed): it may still be mined. A
// caller must not resend a settlement blindly; it reads the contract's
// State (NextBatchID) to learn whether the batch was settled.
type PendingError struct {
	Op     string
	TxHash common.Hash
	Err    error
}

func (e *PendingError) Error() string {
	return fmt.Sprintf("settle: %s: transaction %s sent, no receipt: %v", e.Op, e.TxHash.Hex(), e.Err)
}

// Unwrap reports ErrPending and the cause.
func (e *PendingError) Unwrap() []error { return []error{ErrPending, e.Err} }

// RevertError is a contract call the chain refused, with its reason decoded
// from the revert data: a custom error of the zkfleet contracts or of the
// Groth16 verifier (e.g. "WrongBatchId(expected=3, got=5)",
// "ProofInvalid()"), an Error(string) message, or the raw data.
type RevertError struct {
	Op     string // what was attempted ("settle", "deposit", "withdraw", …)
	Reason string
	Data   []byte
}

func (e *RevertError) Error() string {
	return fmt.Sprintf("settle: %s reverted: %s", e.Op, e.Reason)
}

func (e *RevertError) Unwrap() error { return ErrReverted }

// knownErrors are the custom errors any zkfleet contract call may revert
// with, including those that bubble up from the verifier.
var knownErrors = func() []abi.ABI {
	var out []abi.ABI
	for _, text := range []string{
		bindings.RollupSettlementMetaData.ABI,
		bindings.ProgramVerifierMetaData.ABI,
		bindings.Groth16VerifierMetaData.ABI,
	} {
		a, err := abi.JSON(strings.NewReader(text))
		if err != nil {
			panic(fmt.Sprintf("settle: generated ABI does not parse: %v", err))
		}
		out = append(out, a)
	}
	return out
}()

// DecodeRevert renders revert data as a reason.
func DecodeRevert(data []byte) string {
	if len(data) == 0 {
		return "no reason given"
	}
	if msg, err := abi.UnpackRevert(data); err == nil {
		if msg == "" {
			return "empty revert message"
		}
		return msg
	}
	if len(data) >= 4 {
		var id [4]byte
		copy(id[:], data[:4])
		for _, a := range knownErrors {
			e, err := a.ErrorByID(id)
			if err != nil {
				continue
			}
			vals, err := e.Inputs.Unpack(data[4:])
			if err != nil {
				break
			}
			parts := make([]string, len(vals))
			for i, v := range vals {
				parts[i] = e.Inputs[i].Name + "=" + formatValue(v)
			}
			return e.Name + "(" + strings.Join(parts, ", ") + ")"
		}
	}
	return "unknown revert data " + hexutil.Encode(data)
}

func formatValue(v any) string {
	switch x := v.(type) {
	case [32]byte:
		return common.Hash(x).Hex()
	default:
		return fmt.Sprint(x)
	}
}

// revertFrom turns a call's error into a *RevertError when the node
// returned revert data (a JSON-RPC error with data, as geth and the
// simulated backend do for eth_call and eth_estimateGas); other errors
// (network, nonce, funds) are wrapped as they are.
func revertFrom(op string, err error) error {
	var de rpc.DataError
	if errors.As(err, &de) {
		if s, ok := de.ErrorData().(string); ok {
			if data, derr := hexutil.Decode(s); derr == nil {
				return &RevertError{Op: op, Reason: DecodeRevert(data), Data: data}
			}
		}
	}
	if strings.Contains(err.Error(), "execution reverted") {
		return &RevertError{Op: op, Reason: err.Error()}
	}
	return fmt.Errorf("settle: %s: %w", op, err)
}
