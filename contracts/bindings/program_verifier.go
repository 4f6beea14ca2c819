// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// StatementDigestProgram is an auto generated low-level Go binding around an user-defined struct.
type StatementDigestProgram struct {
	ProgramId  [32]byte
	InputHash  [32]byte
	OutputHash [32]byte
	ExitCode   uint32
	Cycles     uint64
}

// ProgramVerifierMetaData contains all meta data concerning the ProgramVerifier contract.
var ProgramVerifierMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIGroth16Verifier\",\"name\":\"verifier_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"programId\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"inputHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"outputHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"exitCode\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"cycles\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"digest\",\"type\":\"uint256\"}],\"name\":\"ProgramProofVerified\",\"type\":\"event\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"programId\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"inputHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"outputHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"exitCode\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"cycles\",\"type\":\"uint64\"}],\"internalType\":\"structStatementDigest.Program\",\"name\":\"s\",\"type\":\"tuple\"},{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"}],\"name\":\"record\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"digest\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"programId\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"inputHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"outputHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"exitCode\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"cycles\",\"type\":\"uint64\"}],\"internalType\":\"structStatementDigest.Program\",\"name\":\"s\",\"type\":\"tuple\"}],\"name\":\"statementDigest\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"verified\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"verifier\",\"outputs\":[{\"internalType\":\"contractIGroth16Verifier\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"programId\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"inputHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"outputHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"exitCode\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"cycles\",\"type\":\"uint64\"}],\"internalType\":\"structStatementDigest.Program\",\"name\":\"s\",\"type\":\"tuple\"},{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"}],\"name\":\"verify\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"digest\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "ProgramVerifier",
	Bin: "0x60a0604052348015600e575f5ffd5b50604051610613380380610613833981016040819052602b91603b565b6001600160a01b03166080526066565b5f60208284031215604a575f5ffd5b81516001600160a01b0381168114605f575f5ffd5b9392505050565b60805161058f6100845f395f818160b6015261020f015261058f5ff3fe608060405234801561000f575f5ffd5b5060043610610055575f3560e01c8063012ca9b3146100595780631a9425c11461007f5780632b7ac3f3146100b15780634cf74e5f146100f0578063e201ba7414610103575b5f5ffd5b61006c6100673660046103b9565b610116565b6040519081526020015b60405180910390f35b6100a161008d366004610438565b5f6020819052908152604090205460ff1681565b6040519015158152602001610076565b6100d87f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b039091168152602001610076565b61006c6100fe36600461044f565b6101cf565b61006c6101113660046103b9565b6101df565b5f6101228484846101df565b5f8181526020818152604091829020805460ff191660011790559192508535917f326dfe14890dcba11efa1a650e891ac6a920ec87db16f173878eeda97cc7141691908701359087013561017c6080890160608a01610469565b61018c60a08a0160808b0161048c565b60408051948552602085019390935263ffffffff919091168383015267ffffffffffffffff16606083015260808201859052519081900360a00190a29392505050565b5f6101d982610279565b92915050565b5f6101e984610279565b604080516020810182528281529051632363e29760e21b81529192506001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001691638d8f8a5c9161024691879187916004016104b3565b5f6040518083038186803b15801561025c575f5ffd5b505afa15801561026e573d5f5f3e3d5ffd5b505050509392505050565b5f806305a4b52560e41b60018435602086013560408701356102a16080890160608a01610469565b6102b160a08a0160808b0161048c565b6040516001600160e01b0319978816602082015260f09690961b6001600160f01b031916602487015260268601949094526046850192909252606684015260e01b909216608682015260c09190911b6001600160c01b031916608a82015260920160405160208183030381529060405290507f30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001600282604051610354919061050d565b602060405180830381855afa15801561036f573d5f5f3e3d5ffd5b5050506040513d601f19601f820116820180604052508101906103929190610523565b61039c919061053a565b9392505050565b5f60a082840312156103b3575f5ffd5b50919050565b5f5f5f60c084860312156103cb575f5ffd5b6103d585856103a3565b925060a084013567ffffffffffffffff8111156103f0575f5ffd5b8401601f81018613610400575f5ffd5b803567ffffffffffffffff811115610416575f5ffd5b866020828401011115610427575f5ffd5b939660209190910195509293505050565b5f60208284031215610448575f5ffd5b5035919050565b5f60a0828403121561045f575f5ffd5b61039c83836103a3565b5f60208284031215610479575f5ffd5b813563ffffffff8116811461039c575f5ffd5b5f6020828403121561049c575f5ffd5b813567ffffffffffffffff8116811461039c575f5ffd5b60408152826040820152828460608301375f606084830101525f6060601f19601f860116830101905060208201835f5b60018110156105025781518352602092830192909101906001016104e3565b505050949350505050565b5f82518060208501845e5f920191825250919050565b5f60208284031215610533575f5ffd5b5051919050565b5f8261055457634e487b7160e01b5f52601260045260245ffd5b50069056fea2646970667358221220f8c110eb62288406d81a901b2dffeca5e60065e44ae4361658424eada7ca245264736f6c634300081e0033",
}

// ProgramVerifier is an auto generated Go binding around an Ethereum contract.
type ProgramVerifier struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *ProgramVerifier) GetABI() abi.ABI {
	return c.abi
}

// NewProgramVerifier creates a new instance of ProgramVerifier.
func NewProgramVerifier() *ProgramVerifier {
	parsed, err := ProgramVerifierMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &ProgramVerifier{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *ProgramVerifier) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address verifier_) returns()
func (programVerifier *ProgramVerifier) PackConstructor(verifier_ common.Address) []byte {
	enc, err := programVerifier.abi.Pack("", verifier_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackRecord is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x012ca9b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function record((bytes32,bytes32,bytes32,uint32,uint64) s, bytes proof) returns(uint256 digest)
func (programVerifier *ProgramVerifier) PackRecord(s StatementDigestProgram, proof []byte) []byte {
	enc, err := programVerifier.abi.Pack("record", s, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRecord is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x012ca9b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function record((bytes32,bytes32,bytes32,uint32,uint64) s, bytes proof) returns(uint256 digest)
func (programVerifier *ProgramVerifier) TryPackRecord(s StatementDigestProgram, proof []byte) ([]byte, error) {
	return programVerifier.abi.Pack("record", s, proof)
}

// UnpackRecord is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x012ca9b3.
//
// Solidity: function record((bytes32,bytes32,bytes32,uint32,uint64) s, bytes proof) returns(uint256 digest)
func (programVerifier *ProgramVerifier) UnpackRecord(data []byte) (*big.Int, error) {
	out, err := programVerifier.abi.Unpack("record", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackStatementDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4cf74e5f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function statementDigest((bytes32,bytes32,bytes32,uint32,uint64) s) pure returns(uint256)
func (programVerifier *ProgramVerifier) PackStatementDigest(s StatementDigestProgram) []byte {
	enc, err := programVerifier.abi.Pack("statementDigest", s)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStatementDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4cf74e5f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function statementDigest((bytes32,bytes32,bytes32,uint32,uint64) s) pure returns(uint256)
func (programVerifier *ProgramVerifier) TryPackStatementDigest(s StatementDigestProgram) ([]byte, error) {
	return programVerifier.abi.Pack("statementDigest", s)
}

// UnpackStatementDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4cf74e5f.
//
// Solidity: function statementDigest((bytes32,bytes32,bytes32,uint32,uint64) s) pure returns(uint256)
func (programVerifier *ProgramVerifier) UnpackStatementDigest(data []byte) (*big.Int, error) {
	out, err := programVerifier.abi.Unpack("statementDigest", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackVerified is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1a9425c1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verified(uint256 ) view returns(bool)
func (programVerifier *ProgramVerifier) PackVerified(arg0 *big.Int) []byte {
	enc, err := programVerifier.abi.Pack("verified", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVerified is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1a9425c1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function verified(uint256 ) view returns(bool)
func (programVerifier *ProgramVerifier) TryPackVerified(arg0 *big.Int) ([]byte, error) {
	return programVerifier.abi.Pack("verified", arg0)
}

// UnpackVerified is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1a9425c1.
//
// Solidity: function verified(uint256 ) view returns(bool)
func (programVerifier *ProgramVerifier) UnpackVerified(data []byte) (bool, error) {
	out, err := programVerifier.abi.Unpack("verified", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2b7ac3f3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verifier() view returns(address)
func (programVerifier *ProgramVerifier) PackVerifier() []byte {
	enc, err := programVerifier.abi.Pack("verifier")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2b7ac3f3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function verifier() view returns(address)
func (programVerifier *ProgramVerifier) TryPackVerifier() ([]byte, error) {
	return programVerifier.abi.Pack("verifier")
}

// UnpackVerifier is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2b7ac3f3.
//
// Solidity: function verifier() view returns(address)
func (programVerifier *ProgramVerifier) UnpackVerifier(data []byte) (common.Address, error) {
	out, err := programVerifier.abi.Unpack("verifier", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackVerify is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe201ba74.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verify((bytes32,bytes32,bytes32,uint32,uint64) s, bytes proof) view returns(uint256 digest)
func (programVerifier *ProgramVerifier) PackVerify(s StatementDigestProgram, proof []byte) []byte {
	enc, err := programVerifier.abi.Pack("verify", s, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVerify is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe201ba74.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function verify((bytes32,bytes32,bytes32,uint32,uint64) s, bytes proof) view returns(uint256 digest)
func (programVerifier *ProgramVerifier) TryPackVerify(s StatementDigestProgram, proof []byte) ([]byte, error) {
	return programVerifier.abi.Pack("verify", s, proof)
}

// UnpackVerify is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe201ba74.
//
// Solidity: function verify((bytes32,bytes32,bytes32,uint32,uint64) s, bytes proof) view returns(uint256 digest)
func (programVerifier *ProgramVerifier) UnpackVerify(data []byte) (*big.Int, error) {
	out, err := programVerifier.abi.Unpack("verify", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// ProgramVerifierProgramProofVerified represents a ProgramProofVerified event raised by the ProgramVerifier contract.
type ProgramVerifierProgramProofVerified struct {
	ProgramId  [32]byte
	InputHash  [32]byte
	OutputHash [32]byte
	ExitCode   uint32
	Cycles     uint64
	Digest     *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const ProgramVerifierProgramProofVerifiedEventName = "ProgramProofVerified"

// ContractEventName returns the user-defined event name.
func (ProgramVerifierProgramProofVerified) ContractEventName() string {
	return ProgramVerifierProgramProofVerifiedEventName
}

// UnpackProgramProofVerifiedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProgramProofVerified(bytes32 indexed programId, bytes32 inputHash, bytes32 outputHash, uint32 exitCode, uint64 cycles, uint256 digest)
func (programVerifier *ProgramVerifier) UnpackProgramProofVerifiedEvent(log *types.Log) (*ProgramVerifierProgramProofVerified, error) {
	event := "ProgramProofVerified"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != programVerifier.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProgramVerifierProgramProofVerified)
	if len(log.Data) > 0 {
		if err := programVerifier.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range programVerifier.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}
