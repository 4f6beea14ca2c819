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

// StatementDigestBatch is an auto generated low-level Go binding around an user-defined struct.
type StatementDigestBatch struct {
	BatchId         uint64
	PreStateRoot    [32]byte
	PostStateRoot   [32]byte
	BatchHash       [32]byte
	WithdrawalRoot  [32]byte
	DepositRoot     [32]byte
	TxCount         uint64
	TransferCount   uint64
	WithdrawalCount uint64
	DepositCount    uint64
}

// RollupSettlementMetaData contains all meta data concerning the RollupSettlement contract.
var RollupSettlementMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIGroth16Verifier\",\"name\":\"verifier_\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"genesisStateRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"firstBatchId\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"batchId\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"index\",\"type\":\"uint32\"}],\"name\":\"AlreadyClaimed\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadCounts\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadDeposit\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadInclusionProof\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"batchId\",\"type\":\"uint64\"}],\"name\":\"BatchNotSettled\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"expected\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"got\",\"type\":\"bytes32\"}],\"name\":\"DepositRootMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"queued\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"needed\",\"type\":\"uint64\"}],\"name\":\"DepositsNotQueued\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyWithdrawalRootNotZero\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"PayoutFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"index\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"count\",\"type\":\"uint64\"}],\"name\":\"WithdrawalIndexOutOfRange\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"expected\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"got\",\"type\":\"uint64\"}],\"name\":\"WrongBatchId\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"expected\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"got\",\"type\":\"bytes32\"}],\"name\":\"WrongPreStateRoot\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"batchId\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"preStateRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"postStateRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"withdrawalRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"withdrawalCount\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"depositCount\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"digest\",\"type\":\"uint256\"}],\"name\":\"BatchSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"to\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"pubKeyX\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"pubKeyY\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"amount\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"leaf\",\"type\":\"bytes32\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"batchId\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"uint32\",\"name\":\"index\",\"type\":\"uint32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"amount\",\"type\":\"uint64\"}],\"name\":\"WithdrawalClaimed\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"GWEI\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"name\":\"batches\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"postStateRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"withdrawalRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"withdrawalCount\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"settled\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"batchId\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"index\",\"type\":\"uint32\"},{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"amount\",\"type\":\"uint64\"},{\"internalType\":\"bytes32[]\",\"name\":\"siblings\",\"type\":\"bytes32[]\"}],\"name\":\"claimWithdrawal\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"name\":\"claimed\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"pubKeyX\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"pubKeyY\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"to\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"amount\",\"type\":\"uint64\"}],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"count\",\"type\":\"uint64\"}],\"name\":\"depositAccumulator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"acc\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"depositLeaves\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"depositsConsumed\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextBatchId\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pendingDeposits\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"batchId\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"preStateRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"postStateRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"batchHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"withdrawalRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"depositRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"txCount\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"transferCount\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"withdrawalCount\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"depositCount\",\"type\":\"uint64\"}],\"internalType\":\"structStatementDigest.Batch\",\"name\":\"s\",\"type\":\"tuple\"},{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"}],\"name\":\"settle\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"stateRoot\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"batchId\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"preStateRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"postStateRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"batchHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"withdrawalRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"depositRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"txCount\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"transferCount\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"withdrawalCount\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"depositCount\",\"type\":\"uint64\"}],\"internalType\":\"structStatementDigest.Batch\",\"name\":\"s\",\"type\":\"tuple\"}],\"name\":\"statementDigest\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"n\",\"type\":\"uint64\"}],\"name\":\"treeDepth\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"d\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"verifier\",\"outputs\":[{\"internalType\":\"contractIGroth16Verifier\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "RollupSettlement",
	Bin: "0x60a060405234801561000f575f5ffd5b5060405161143b38038061143b83398101604081905261002e91610063565b6001600160a01b03929092166080525f55600180546001600160401b0319166001600160401b039092169190911790556100b9565b5f5f5f60608486031215610075575f5ffd5b83516001600160a01b038116811461008b575f5ffd5b6020850151604086015191945092506001600160401b03811681146100ae575f5ffd5b809150509250925092565b6080516113636100d85f395f818161012b01526109db01526113635ff3fe6080604052600436106100e4575f3560e01c80638462a7f811610087578063c6c3cfcc11610057578063c6c3cfcc146102d7578063cac22cb4146102ee578063cbac04be14610337578063e6c8a9ca1461034a575f5ffd5b80638462a7f81461024e5780639588eca214610285578063aa03ab4714610299578063b51f44ca146102b8575f5ffd5b8063442446fc116100c2578063442446fc146101865780635c074f44146101a5578063756ffb40146101b95780638232e389146101ce575f5ffd5b80632ac86594146100e85780632b7ac3f31461011a5780633f058b2d14610165575b5f5ffd5b3480156100f3575f5ffd5b50610107610102366004610f00565b610369565b6040519081526020015b60405180910390f35b348015610125575f5ffd5b5061014d7f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b039091168152602001610111565b348015610170575f5ffd5b5061018461017f366004610f2c565b610439565b005b348015610191575f5ffd5b506101076101a0366004610fe9565b6107a8565b3480156101b0575f5ffd5b506101076107c7565b3480156101c4575f5ffd5b5061010760035481565b3480156101d9575f5ffd5b5061021d6101e8366004610f00565b60046020525f90815260409020805460018201546002909201549091906001600160401b03811690600160401b900460ff1684565b604051610111949392919093845260208401929092526001600160401b031660408301521515606082015260800190565b348015610259575f5ffd5b5060015461026d906001600160401b031681565b6040516001600160401b039091168152602001610111565b348015610290575f5ffd5b506101075f5481565b3480156102a4575f5ffd5b506101846102b3366004611017565b6107dd565b3480156102c3575f5ffd5b506101076102d2366004610f00565b610c0e565b3480156102e2575f5ffd5b50610107633b9aca0081565b3480156102f9575f5ffd5b50610327610308366004611096565b600560209081525f928352604080842090915290825290205460ff1681565b6040519015158152602001610111565b6101846103453660046110c7565b610c3b565b348015610355575f5ffd5b5061010761036436600461110a565b610db5565b6003545f90816103826001600160401b03851683611139565b6002549091508111156103ce5760025461039d90839061114c565b60405163d0281e2b60e01b815260048101919091526001600160401b03851660248201526044015b60405180910390fd5b815b818110156104315783600282815481106103ec576103ec61115f565b905f5260205f20015460405160200161040f929190918252602082015260400190565b60408051601f19818403018152919052805160209091012093506001016103d0565b505050919050565b6001600160401b0386165f9081526004602052604090206002810154600160401b900460ff166104875760405163bf13a3b360e01b81526001600160401b03881660048201526024016103c5565b60028101546001600160401b031663ffffffff8716106104d7576002810154604051632b29ffa160e21b815263ffffffff881660048201526001600160401b0390911660248201526044016103c5565b60028101546104ee906001600160401b0316610c0e565b821461050d57604051631eeaac1760e01b815260040160405180910390fd5b6040805163ffffffff881660208201526001600160a01b038716918101919091526001600160401b03851660608201525f9060800160408051601f198184030181529190528051602090910120905063ffffffff87165f5b8481101561061e5760018216156105c5578585828181106105885761058861115f565b90506020020135836040516020016105aa929190918252602082015260400190565b60405160208183030381529060405280519060200120610610565b828686838181106105d8576105d861115f565b905060200201356040516020016105f9929190918252602082015260400190565b604051602081830303815290604052805190602001205b9250600191821c9101610565565b508260010154821461064357604051631eeaac1760e01b815260040160405180910390fd5b6001600160401b0389165f90815260056020908152604080832063ffffffff8c16845290915290205460ff16156106a457604051633f4f5e8760e11b81526001600160401b038a16600482015263ffffffff891660248201526044016103c5565b6001600160401b038981165f81815260056020908152604080832063ffffffff8e1680855290835292819020805460ff1916600117905551938a1684526001600160a01b038b16939192917fa00f456fb23026e7779c3540f7e1fe848902699be6efa5367b4b67b5d7db097d910160405180910390a45f6001600160a01b03881661073c633b9aca006001600160401b038a16611173565b6040515f81818185875af1925050503d805f8114610775576040519150601f19603f3d011682016040523d82523d5f602084013e61077a565b606091505b505090508061079c57604051630ec6ac4160e21b815260040160405180910390fd5b50505050505050505050565b600281815481106107b7575f80fd5b5f91825260209091200154905081565b6003546002545f916107d89161114c565b905090565b6001546001600160401b03166107f66020850185610f00565b6001600160401b031614610849576001546001600160401b031661081d6020850185610f00565b60405163d728ca2960e01b81526001600160401b039283166004820152911660248201526044016103c5565b5f5483602001351461087e575f546040516307a887f160e31b81526004810191909152602084013560248201526044016103c5565b5f61089461010261014086016101208701610f00565b90508360a0013581146108c757604051639f29a87b60e01b81526004810182905260a085013560248201526044016103c5565b6108d961012085016101008601610f00565b6001600160401b03161580156108f25750608084013515155b1561091057604051634a4657fb60e01b815260040160405180910390fd5b61092261014085016101208601610f00565b6001600160401b031661093d61012086016101008701610f00565b6001600160401b0316610957610100870160e08801610f00565b6001600160401b031661096a9190611139565b6109749190611139565b61098460e0860160c08701610f00565b6001600160401b0316146109ab576040516305fcd7b560e31b815260040160405180910390fd5b5f6109b585610dc5565b604080516020810182528281529051632363e29760e21b81529192506001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001691638d8f8a5c91610a12918891889160040161118a565b5f6040518083038186803b158015610a28575f5ffd5b505afa158015610a3a573d5f5f3e3d5ffd5b5050505060408501355f55610a526020860186610f00565b610a5d9060016111e4565b6001805467ffffffffffffffff19166001600160401b0392909216919091179055610a9061014086016101208701610f00565b6001600160401b031660035f828254610aa99190611139565b909155505060408051608080820183528783013582528701356020820152908101610adc61012088016101008901610f00565b6001600160401b0316815260016020918201526004905f90610b0090890189610f00565b6001600160401b03908116825260208083019390935260409182015f208451815584840151600182015591840151600290920180546060909501511515600160401b0268ffffffffffffffffff19909516929091169190911792909217909155610b6c90860186610f00565b6001600160401b03167f904ac4c48ce5eb4023a0f47d4b97fd071caa9a2ab655d31c102da5d56e6ba0f7602087013560408801356080890135610bb76101208b016101008c01610f00565b610bc96101408c016101208d01610f00565b604080519586526020860194909452928401919091526001600160401b03908116606084015216608082015260a0810184905260c00160405180910390a25050505050565b5f5b6001600160401b0382166001821b1015610c365780610c2e81611203565b915050610c10565b919050565b6001600160401b0381161580610c675750610c63633b9aca006001600160401b038316611173565b3414155b80610c9257507f30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f00000018410155b80610cbd57507f30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f00000018310155b15610cdb57604051635f31331960e01b815260040160405180910390fd5b60408051602081018690529081018490526001600160401b038084166060830152821660808201525f9060a00160408051808303601f190181528282528051602091820120600280546001810182555f919091527f405787fa12a823e0f2b7631cc41b3ba8828b3321ca811111fa75cd3aa3bb5ace81018290558985529184018890526001600160401b0386811693850193909352606084018190529350919085169082907f9fed71068b025f0d26f1d0e54d8aeddb4897921e9ae98b1d935681f2df7d2f7a9060800160405180910390a3505050505050565b5f610dbf82610dc5565b92915050565b5f80632d25a92160e11b6001610dde6020860186610f00565b602086013560408701356060880135608089013560a08a0135610e0760e08c0160c08d01610f00565b610e186101008d0160e08e01610f00565b610e2a6101208e016101008f01610f00565b8d610120016020810190610e3e9190610f00565b604051602001610e599c9b9a9998979695949392919061121b565b60405160208183030381529060405290507f30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001600282604051610e9b91906112e1565b602060405180830381855afa158015610eb6573d5f5f3e3d5ffd5b5050506040513d601f19601f82011682018060405250810190610ed991906112f7565b610ee3919061130e565b9392505050565b80356001600160401b0381168114610c36575f5ffd5b5f60208284031215610f10575f5ffd5b610ee382610eea565b803563ffffffff81168114610c36575f5ffd5b5f5f5f5f5f5f60a08789031215610f41575f5ffd5b610f4a87610eea565b9550610f5860208801610f19565b945060408701356001600160a01b0381168114610f73575f5ffd5b9350610f8160608801610eea565b925060808701356001600160401b03811115610f9b575f5ffd5b8701601f81018913610fab575f5ffd5b80356001600160401b03811115610fc0575f5ffd5b8960208260051b8401011115610fd4575f5ffd5b60208201935080925050509295509295509295565b5f60208284031215610ff9575f5ffd5b5035919050565b5f6101408284031215611011575f5ffd5b50919050565b5f5f5f610160848603121561102a575f5ffd5b6110348585611000565b92506101408401356001600160401b0381111561104f575f5ffd5b8401601f8101861361105f575f5ffd5b80356001600160401b03811115611074575f5ffd5b866020828401011115611085575f5ffd5b939660209190910195509293505050565b5f5f604083850312156110a7575f5ffd5b6110b083610eea565b91506110be60208401610f19565b90509250929050565b5f5f5f5f608085870312156110da575f5ffd5b84359350602085013592506110f160408601610eea565b91506110ff60608601610eea565b905092959194509250565b5f610140828403121561111b575f5ffd5b610ee38383611000565b634e487b7160e01b5f52601160045260245ffd5b80820180821115610dbf57610dbf611125565b81810381811115610dbf57610dbf611125565b634e487b7160e01b5f52603260045260245ffd5b8082028115828204841417610dbf57610dbf611125565b60408152826040820152828460608301375f606084830101525f6060601f19601f860116830101905060208201835f5b60018110156111d95781518352602092830192909101906001016111ba565b505050949350505050565b6001600160401b038181168382160190811115610dbf57610dbf611125565b5f6001820161121457611214611125565b5060010190565b63ffffffff60e01b8d16815261ffff60f01b8c60f01b1660048201526001600160401b0360c01b8b60c01b16600682015289600e82015288602e82015287604e82015286606e82015285608e82015261128360ae82018660c01b6001600160c01b0319169052565b61129c60b682018560c01b6001600160c01b0319169052565b6112b560be82018460c01b6001600160c01b0319169052565b6112ce60c682018360c01b6001600160c01b0319169052565b60ce019c9b505050505050505050505050565b5f82518060208501845e5f920191825250919050565b5f60208284031215611307575f5ffd5b5051919050565b5f8261132857634e487b7160e01b5f52601260045260245ffd5b50069056fea2646970667358221220ac2b2cb97501b6ddb306235c62c671a52698ebeda692c5cbcf1caf5e9f558ca864736f6c634300081e0033",
}

// RollupSettlement is an auto generated Go binding around an Ethereum contract.
type RollupSettlement struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *RollupSettlement) GetABI() abi.ABI {
	return c.abi
}

// NewRollupSettlement creates a new instance of RollupSettlement.
func NewRollupSettlement() *RollupSettlement {
	parsed, err := RollupSettlementMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &RollupSettlement{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *RollupSettlement) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address verifier_, bytes32 genesisStateRoot, uint64 firstBatchId) returns()
func (rollupSettlement *RollupSettlement) PackConstructor(verifier_ common.Address, genesisStateRoot [32]byte, firstBatchId uint64) []byte {
	enc, err := rollupSettlement.abi.Pack("", verifier_, genesisStateRoot, firstBatchId)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackGWEI is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc6c3cfcc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function GWEI() view returns(uint256)
func (rollupSettlement *RollupSettlement) PackGWEI() []byte {
	enc, err := rollupSettlement.abi.Pack("GWEI")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGWEI is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc6c3cfcc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function GWEI() view returns(uint256)
func (rollupSettlement *RollupSettlement) TryPackGWEI() ([]byte, error) {
	return rollupSettlement.abi.Pack("GWEI")
}

// UnpackGWEI is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc6c3cfcc.
//
// Solidity: function GWEI() view returns(uint256)
func (rollupSettlement *RollupSettlement) UnpackGWEI(data []byte) (*big.Int, error) {
	out, err := rollupSettlement.abi.Unpack("GWEI", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBatches is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8232e389.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function batches(uint64 ) view returns(bytes32 postStateRoot, bytes32 withdrawalRoot, uint64 withdrawalCount, bool settled)
func (rollupSettlement *RollupSettlement) PackBatches(arg0 uint64) []byte {
	enc, err := rollupSettlement.abi.Pack("batches", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBatches is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8232e389.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function batches(uint64 ) view returns(bytes32 postStateRoot, bytes32 withdrawalRoot, uint64 withdrawalCount, bool settled)
func (rollupSettlement *RollupSettlement) TryPackBatches(arg0 uint64) ([]byte, error) {
	return rollupSettlement.abi.Pack("batches", arg0)
}

// BatchesOutput serves as a container for the return parameters of contract
// method Batches.
type BatchesOutput struct {
	PostStateRoot   [32]byte
	WithdrawalRoot  [32]byte
	WithdrawalCount uint64
	Settled         bool
}

// UnpackBatches is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8232e389.
//
// Solidity: function batches(uint64 ) view returns(bytes32 postStateRoot, bytes32 withdrawalRoot, uint64 withdrawalCount, bool settled)
func (rollupSettlement *RollupSettlement) UnpackBatches(data []byte) (BatchesOutput, error) {
	out, err := rollupSettlement.abi.Unpack("batches", data)
	outstruct := new(BatchesOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.PostStateRoot = *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	outstruct.WithdrawalRoot = *abi.ConvertType(out[1], new([32]byte)).(*[32]byte)
	outstruct.WithdrawalCount = *abi.ConvertType(out[2], new(uint64)).(*uint64)
	outstruct.Settled = *abi.ConvertType(out[3], new(bool)).(*bool)
	return *outstruct, nil
}

// PackClaimWithdrawal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3f058b2d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function claimWithdrawal(uint64 batchId, uint32 index, address recipient, uint64 amount, bytes32[] siblings) returns()
func (rollupSettlement *RollupSettlement) PackClaimWithdrawal(batchId uint64, index uint32, recipient common.Address, amount uint64, siblings [][32]byte) []byte {
	enc, err := rollupSettlement.abi.Pack("claimWithdrawal", batchId, index, recipient, amount, siblings)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClaimWithdrawal is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3f058b2d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function claimWithdrawal(uint64 batchId, uint32 index, address recipient, uint64 amount, bytes32[] siblings) returns()
func (rollupSettlement *RollupSettlement) TryPackClaimWithdrawal(batchId uint64, index uint32, recipient common.Address, amount uint64, siblings [][32]byte) ([]byte, error) {
	return rollupSettlement.abi.Pack("claimWithdrawal", batchId, index, recipient, amount, siblings)
}

// PackClaimed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcac22cb4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function claimed(uint64 , uint32 ) view returns(bool)
func (rollupSettlement *RollupSettlement) PackClaimed(arg0 uint64, arg1 uint32) []byte {
	enc, err := rollupSettlement.abi.Pack("claimed", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClaimed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcac22cb4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function claimed(uint64 , uint32 ) view returns(bool)
func (rollupSettlement *RollupSettlement) TryPackClaimed(arg0 uint64, arg1 uint32) ([]byte, error) {
	return rollupSettlement.abi.Pack("claimed", arg0, arg1)
}

// UnpackClaimed is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xcac22cb4.
//
// Solidity: function claimed(uint64 , uint32 ) view returns(bool)
func (rollupSettlement *RollupSettlement) UnpackClaimed(data []byte) (bool, error) {
	out, err := rollupSettlement.abi.Unpack("claimed", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcbac04be.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deposit(uint256 pubKeyX, uint256 pubKeyY, uint64 to, uint64 amount) payable returns()
func (rollupSettlement *RollupSettlement) PackDeposit(pubKeyX *big.Int, pubKeyY *big.Int, to uint64, amount uint64) []byte {
	enc, err := rollupSettlement.abi.Pack("deposit", pubKeyX, pubKeyY, to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcbac04be.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deposit(uint256 pubKeyX, uint256 pubKeyY, uint64 to, uint64 amount) payable returns()
func (rollupSettlement *RollupSettlement) TryPackDeposit(pubKeyX *big.Int, pubKeyY *big.Int, to uint64, amount uint64) ([]byte, error) {
	return rollupSettlement.abi.Pack("deposit", pubKeyX, pubKeyY, to, amount)
}

// PackDepositAccumulator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2ac86594.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depositAccumulator(uint64 count) view returns(bytes32 acc)
func (rollupSettlement *RollupSettlement) PackDepositAccumulator(count uint64) []byte {
	enc, err := rollupSettlement.abi.Pack("depositAccumulator", count)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepositAccumulator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2ac86594.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function depositAccumulator(uint64 count) view returns(bytes32 acc)
func (rollupSettlement *RollupSettlement) TryPackDepositAccumulator(count uint64) ([]byte, error) {
	return rollupSettlement.abi.Pack("depositAccumulator", count)
}

// UnpackDepositAccumulator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2ac86594.
//
// Solidity: function depositAccumulator(uint64 count) view returns(bytes32 acc)
func (rollupSettlement *RollupSettlement) UnpackDepositAccumulator(data []byte) ([32]byte, error) {
	out, err := rollupSettlement.abi.Unpack("depositAccumulator", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDepositLeaves is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x442446fc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depositLeaves(uint256 ) view returns(bytes32)
func (rollupSettlement *RollupSettlement) PackDepositLeaves(arg0 *big.Int) []byte {
	enc, err := rollupSettlement.abi.Pack("depositLeaves", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepositLeaves is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x442446fc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function depositLeaves(uint256 ) view returns(bytes32)
func (rollupSettlement *RollupSettlement) TryPackDepositLeaves(arg0 *big.Int) ([]byte, error) {
	return rollupSettlement.abi.Pack("depositLeaves", arg0)
}

// UnpackDepositLeaves is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x442446fc.
//
// Solidity: function depositLeaves(uint256 ) view returns(bytes32)
func (rollupSettlement *RollupSettlement) UnpackDepositLeaves(data []byte) ([32]byte, error) {
	out, err := rollupSettlement.abi.Unpack("depositLeaves", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDepositsConsumed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x756ffb40.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depositsConsumed() view returns(uint256)
func (rollupSettlement *RollupSettlement) PackDepositsConsumed() []byte {
	enc, err := rollupSettlement.abi.Pack("depositsConsumed")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepositsConsumed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x756ffb40.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function depositsConsumed() view returns(uint256)
func (rollupSettlement *RollupSettlement) TryPackDepositsConsumed() ([]byte, error) {
	return rollupSettlement.abi.Pack("depositsConsumed")
}

// UnpackDepositsConsumed is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x756ffb40.
//
// Solidity: function depositsConsumed() view returns(uint256)
func (rollupSettlement *RollupSettlement) UnpackDepositsConsumed(data []byte) (*big.Int, error) {
	out, err := rollupSettlement.abi.Unpack("depositsConsumed", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackNextBatchId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8462a7f8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nextBatchId() view returns(uint64)
func (rollupSettlement *RollupSettlement) PackNextBatchId() []byte {
	enc, err := rollupSettlement.abi.Pack("nextBatchId")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNextBatchId is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8462a7f8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nextBatchId() view returns(uint64)
func (rollupSettlement *RollupSettlement) TryPackNextBatchId() ([]byte, error) {
	return rollupSettlement.abi.Pack("nextBatchId")
}

// UnpackNextBatchId is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8462a7f8.
//
// Solidity: function nextBatchId() view returns(uint64)
func (rollupSettlement *RollupSettlement) UnpackNextBatchId(data []byte) (uint64, error) {
	out, err := rollupSettlement.abi.Unpack("nextBatchId", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackPendingDeposits is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c074f44.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pendingDeposits() view returns(uint256)
func (rollupSettlement *RollupSettlement) PackPendingDeposits() []byte {
	enc, err := rollupSettlement.abi.Pack("pendingDeposits")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPendingDeposits is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c074f44.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pendingDeposits() view returns(uint256)
func (rollupSettlement *RollupSettlement) TryPackPendingDeposits() ([]byte, error) {
	return rollupSettlement.abi.Pack("pendingDeposits")
}

// UnpackPendingDeposits is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5c074f44.
//
// Solidity: function pendingDeposits() view returns(uint256)
func (rollupSettlement *RollupSettlement) UnpackPendingDeposits(data []byte) (*big.Int, error) {
	out, err := rollupSettlement.abi.Unpack("pendingDeposits", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackSettle is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaa03ab47.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function settle((uint64,bytes32,bytes32,bytes32,bytes32,bytes32,uint64,uint64,uint64,uint64) s, bytes proof) returns()
func (rollupSettlement *RollupSettlement) PackSettle(s StatementDigestBatch, proof []byte) []byte {
	enc, err := rollupSettlement.abi.Pack("settle", s, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSettle is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaa03ab47.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function settle((uint64,bytes32,bytes32,bytes32,bytes32,bytes32,uint64,uint64,uint64,uint64) s, bytes proof) returns()
func (rollupSettlement *RollupSettlement) TryPackSettle(s StatementDigestBatch, proof []byte) ([]byte, error) {
	return rollupSettlement.abi.Pack("settle", s, proof)
}

// PackStateRoot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9588eca2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function stateRoot() view returns(bytes32)
func (rollupSettlement *RollupSettlement) PackStateRoot() []byte {
	enc, err := rollupSettlement.abi.Pack("stateRoot")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStateRoot is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9588eca2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function stateRoot() view returns(bytes32)
func (rollupSettlement *RollupSettlement) TryPackStateRoot() ([]byte, error) {
	return rollupSettlement.abi.Pack("stateRoot")
}

// UnpackStateRoot is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9588eca2.
//
// Solidity: function stateRoot() view returns(bytes32)
func (rollupSettlement *RollupSettlement) UnpackStateRoot(data []byte) ([32]byte, error) {
	out, err := rollupSettlement.abi.Unpack("stateRoot", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackStatementDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe6c8a9ca.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function statementDigest((uint64,bytes32,bytes32,bytes32,bytes32,bytes32,uint64,uint64,uint64,uint64) s) pure returns(uint256)
func (rollupSettlement *RollupSettlement) PackStatementDigest(s StatementDigestBatch) []byte {
	enc, err := rollupSettlement.abi.Pack("statementDigest", s)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStatementDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe6c8a9ca.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function statementDigest((uint64,bytes32,bytes32,bytes32,bytes32,bytes32,uint64,uint64,uint64,uint64) s) pure returns(uint256)
func (rollupSettlement *RollupSettlement) TryPackStatementDigest(s StatementDigestBatch) ([]byte, error) {
	return rollupSettlement.abi.Pack("statementDigest", s)
}

// UnpackStatementDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe6c8a9ca.
//
// Solidity: function statementDigest((uint64,bytes32,bytes32,bytes32,bytes32,bytes32,uint64,uint64,uint64,uint64) s) pure returns(uint256)
func (rollupSettlement *RollupSettlement) UnpackStatementDigest(data []byte) (*big.Int, error) {
	out, err := rollupSettlement.abi.Unpack("statementDigest", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTreeDepth is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb51f44ca.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function treeDepth(uint64 n) pure returns(uint256 d)
func (rollupSettlement *RollupSettlement) PackTreeDepth(n uint64) []byte {
	enc, err := rollupSettlement.abi.Pack("treeDepth", n)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTreeDepth is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb51f44ca.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function treeDepth(uint64 n) pure returns(uint256 d)
func (rollupSettlement *RollupSettlement) TryPackTreeDepth(n uint64) ([]byte, error) {
	return rollupSettlement.abi.Pack("treeDepth", n)
}

// UnpackTreeDepth is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb51f44ca.
//
// Solidity: function treeDepth(uint64 n) pure returns(uint256 d)
func (rollupSettlement *RollupSettlement) UnpackTreeDepth(data []byte) (*big.Int, error) {
	out, err := rollupSettlement.abi.Unpack("treeDepth", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackVerifier is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2b7ac3f3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verifier() view returns(address)
func (rollupSettlement *RollupSettlement) PackVerifier() []byte {
	enc, err := rollupSettlement.abi.Pack("verifier")
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
func (rollupSettlement *RollupSettlement) TryPackVerifier() ([]byte, error) {
	return rollupSettlement.abi.Pack("verifier")
}

// UnpackVerifier is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2b7ac3f3.
//
// Solidity: function verifier() view returns(address)
func (rollupSettlement *RollupSettlement) UnpackVerifier(data []byte) (common.Address, error) {
	out, err := rollupSettlement.abi.Unpack("verifier", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// RollupSettlementBatchSettled represents a BatchSettled event raised by the RollupSettlement contract.
type RollupSettlementBatchSettled struct {
	BatchId         uint64
	PreStateRoot    [32]byte
	PostStateRoot   [32]byte
	WithdrawalRoot  [32]byte
	WithdrawalCount uint64
	DepositCount    uint64
	Digest          *big.Int
	Raw             *types.Log // Blockchain specific contextual infos
}

const RollupSettlementBatchSettledEventName = "BatchSettled"

// ContractEventName returns the user-defined event name.
func (RollupSettlementBatchSettled) ContractEventName() string {
	return RollupSettlementBatchSettledEventName
}

// UnpackBatchSettledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event BatchSettled(uint64 indexed batchId, bytes32 preStateRoot, bytes32 postStateRoot, bytes32 withdrawalRoot, uint64 withdrawalCount, uint64 depositCount, uint256 digest)
func (rollupSettlement *RollupSettlement) UnpackBatchSettledEvent(log *types.Log) (*RollupSettlementBatchSettled, error) {
	event := "BatchSettled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollupSettlement.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupSettlementBatchSettled)
	if len(log.Data) > 0 {
		if err := rollupSettlement.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollupSettlement.abi.Events[event].Inputs {
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

// RollupSettlementDeposited represents a Deposited event raised by the RollupSettlement contract.
type RollupSettlementDeposited struct {
	Index   *big.Int
	To      uint64
	PubKeyX *big.Int
	PubKeyY *big.Int
	Amount  uint64
	Leaf    [32]byte
	Raw     *types.Log // Blockchain specific contextual infos
}

const RollupSettlementDepositedEventName = "Deposited"

// ContractEventName returns the user-defined event name.
func (RollupSettlementDeposited) ContractEventName() string {
	return RollupSettlementDepositedEventName
}

// UnpackDepositedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Deposited(uint256 indexed index, uint64 indexed to, uint256 pubKeyX, uint256 pubKeyY, uint64 amount, bytes32 leaf)
func (rollupSettlement *RollupSettlement) UnpackDepositedEvent(log *types.Log) (*RollupSettlementDeposited, error) {
	event := "Deposited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollupSettlement.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupSettlementDeposited)
	if len(log.Data) > 0 {
		if err := rollupSettlement.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollupSettlement.abi.Events[event].Inputs {
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

// RollupSettlementWithdrawalClaimed represents a WithdrawalClaimed event raised by the RollupSettlement contract.
type RollupSettlementWithdrawalClaimed struct {
	BatchId   uint64
	Index     uint32
	Recipient common.Address
	Amount    uint64
	Raw       *types.Log // Blockchain specific contextual infos
}

const RollupSettlementWithdrawalClaimedEventName = "WithdrawalClaimed"

// ContractEventName returns the user-defined event name.
func (RollupSettlementWithdrawalClaimed) ContractEventName() string {
	return RollupSettlementWithdrawalClaimedEventName
}

// UnpackWithdrawalClaimedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event WithdrawalClaimed(uint64 indexed batchId, uint32 indexed index, address indexed recipient, uint64 amount)
func (rollupSettlement *RollupSettlement) UnpackWithdrawalClaimedEvent(log *types.Log) (*RollupSettlementWithdrawalClaimed, error) {
	event := "WithdrawalClaimed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollupSettlement.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupSettlementWithdrawalClaimed)
	if len(log.Data) > 0 {
		if err := rollupSettlement.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range rollupSettlement.abi.Events[event].Inputs {
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

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (rollupSettlement *RollupSettlement) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["AlreadyClaimed"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackAlreadyClaimedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["BadCounts"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackBadCountsError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["BadDeposit"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackBadDepositError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["BadInclusionProof"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackBadInclusionProofError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["BatchNotSettled"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackBatchNotSettledError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["DepositRootMismatch"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackDepositRootMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["DepositsNotQueued"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackDepositsNotQueuedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["EmptyWithdrawalRootNotZero"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackEmptyWithdrawalRootNotZeroError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["PayoutFailed"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackPayoutFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["WithdrawalIndexOutOfRange"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackWithdrawalIndexOutOfRangeError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["WrongBatchId"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackWrongBatchIdError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["WrongPreStateRoot"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackWrongPreStateRootError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// RollupSettlementAlreadyClaimed represents a AlreadyClaimed error raised by the RollupSettlement contract.
type RollupSettlementAlreadyClaimed struct {
	BatchId uint64
	Index   uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyClaimed(uint64 batchId, uint32 index)
func RollupSettlementAlreadyClaimedErrorID() common.Hash {
	return common.HexToHash("0x7e9ebd0ee2042b1939e324984c6b782a7bb8254125903c576c8ce334b388729a")
}

// UnpackAlreadyClaimedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyClaimed(uint64 batchId, uint32 index)
func (rollupSettlement *RollupSettlement) UnpackAlreadyClaimedError(raw []byte) (*RollupSettlementAlreadyClaimed, error) {
	out := new(RollupSettlementAlreadyClaimed)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "AlreadyClaimed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupSettlementBadCounts represents a BadCounts error raised by the RollupSettlement contract.
type RollupSettlementBadCounts struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadCounts()
func RollupSettlementBadCountsErrorID() common.Hash {
	return common.HexToHash("0x2fe6bda8c30b47a93c7a68d8dae600eecdc3806ce68fc4bc65e4958f1615ef26")
}

// UnpackBadCountsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadCounts()
func (rollupSettlement *RollupSettlement) UnpackBadCountsError(raw []byte) (*RollupSettlementBadCounts, error) {
	out := new(RollupSettlementBadCounts)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "BadCounts", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupSettlementBadDeposit represents a BadDeposit error raised by the RollupSettlement contract.
type RollupSettlementBadDeposit struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadDeposit()
func RollupSettlementBadDepositErrorID() common.Hash {
	return common.HexToHash("0x5f3133195349087e671b4a3cf0d3da186d0d1c74abeceda8786d26ac75a9943b")
}

// UnpackBadDepositError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadDeposit()
func (rollupSettlement *RollupSettlement) UnpackBadDepositError(raw []byte) (*RollupSettlementBadDeposit, error) {
	out := new(RollupSettlementBadDeposit)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "BadDeposit", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupSettlementBadInclusionProof represents a BadInclusionProof error raised by the RollupSettlement contract.
type RollupSettlementBadInclusionProof struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadInclusionProof()
func RollupSettlementBadInclusionProofErrorID() common.Hash {
	return common.HexToHash("0x1eeaac17e7174b49fbc8e69d189914adf93e8efa77ae07ae36fce8b4ee44275e")
}

// UnpackBadInclusionProofError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadInclusionProof()
func (rollupSettlement *RollupSettlement) UnpackBadInclusionProofError(raw []byte) (*RollupSettlementBadInclusionProof, error) {
	out := new(RollupSettlementBadInclusionProof)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "BadInclusionProof", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupSettlementBatchNotSettled represents a BatchNotSettled error raised by the RollupSettlement contract.
type RollupSettlementBatchNotSettled struct {
	BatchId uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BatchNotSettled(uint64 batchId)
func RollupSettlementBatchNotSettledErrorID() common.Hash {
	return common.HexToHash("0xbf13a3b3d249204fa9fb3a5dfefc5430cb1dee1079fa57fdf0d5864e10cff4ff")
}

// UnpackBatchNotSettledError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BatchNotSettled(uint64 batchId)
func (rollupSettlement *RollupSettlement) UnpackBatchNotSettledError(raw []byte) (*RollupSettlementBatchNotSettled, error) {
	out := new(RollupSettlementBatchNotSettled)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "BatchNotSettled", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupSettlementDepositRootMismatch represents a DepositRootMismatch error raised by the RollupSettlement contract.
type RollupSettlementDepositRootMismatch struct {
	Expected [32]byte
	Got      [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DepositRootMismatch(bytes32 expected, bytes32 got)
func RollupSettlementDepositRootMismatchErrorID() common.Hash {
	return common.HexToHash("0x9f29a87bf2be4c30c7b15a201cb6cb057578bd19b34c591cb9f3e161bbe9fc74")
}

// UnpackDepositRootMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DepositRootMismatch(bytes32 expected, bytes32 got)
func (rollupSettlement *RollupSettlement) UnpackDepositRootMismatchError(raw []byte) (*RollupSettlementDepositRootMismatch, error) {
	out := new(RollupSettlementDepositRootMismatch)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "DepositRootMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupSettlementDepositsNotQueued represents a DepositsNotQueued error raised by the RollupSettlement contract.
type RollupSettlementDepositsNotQueued struct {
	Queued *big.Int
	Needed uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DepositsNotQueued(uint256 queued, uint64 needed)
func RollupSettlementDepositsNotQueuedErrorID() common.Hash {
	return common.HexToHash("0xd0281e2b151642614601d56a9b8cde7a0b90f45fef86c4562ddb930d4635a154")
}

// UnpackDepositsNotQueuedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DepositsNotQueued(uint256 queued, uint64 needed)
func (rollupSettlement *RollupSettlement) UnpackDepositsNotQueuedError(raw []byte) (*RollupSettlementDepositsNotQueued, error) {
	out := new(RollupSettlementDepositsNotQueued)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "DepositsNotQueued", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupSettlementEmptyWithdrawalRootNotZero represents a EmptyWithdrawalRootNotZero error raised by the RollupSettlement contract.
type RollupSettlementEmptyWithdrawalRootNotZero struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptyWithdrawalRootNotZero()
func RollupSettlementEmptyWithdrawalRootNotZeroErrorID() common.Hash {
	return common.HexToHash("0x4a4657fb9c362892b23c9dcc04c89a7118f296f7970b6e1e7abbe2768b73ff2c")
}

// UnpackEmptyWithdrawalRootNotZeroError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptyWithdrawalRootNotZero()
func (rollupSettlement *RollupSettlement) UnpackEmptyWithdrawalRootNotZeroError(raw []byte) (*RollupSettlementEmptyWithdrawalRootNotZero, error) {
	out := new(RollupSettlementEmptyWithdrawalRootNotZero)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "EmptyWithdrawalRootNotZero", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupSettlementPayoutFailed represents a PayoutFailed error raised by the RollupSettlement contract.
type RollupSettlementPayoutFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PayoutFailed()
func RollupSettlementPayoutFailedErrorID() common.Hash {
	return common.HexToHash("0x3b1ab1045aad53070fe2359fd1a7d516800dcddc17ad45f2e5ff18fe2dbb0689")
}

// UnpackPayoutFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PayoutFailed()
func (rollupSettlement *RollupSettlement) UnpackPayoutFailedError(raw []byte) (*RollupSettlementPayoutFailed, error) {
	out := new(RollupSettlementPayoutFailed)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "PayoutFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupSettlementWithdrawalIndexOutOfRange represents a WithdrawalIndexOutOfRange error raised by the RollupSettlement contract.
type RollupSettlementWithdrawalIndexOutOfRange struct {
	Index uint32
	Count uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WithdrawalIndexOutOfRange(uint32 index, uint64 count)
func RollupSettlementWithdrawalIndexOutOfRangeErrorID() common.Hash {
	return common.HexToHash("0xaca7fe84e21c620b6b3db91db3287b34fcb57817c6f05bb87c60a250e13a4b4a")
}

// UnpackWithdrawalIndexOutOfRangeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WithdrawalIndexOutOfRange(uint32 index, uint64 count)
func (rollupSettlement *RollupSettlement) UnpackWithdrawalIndexOutOfRangeError(raw []byte) (*RollupSettlementWithdrawalIndexOutOfRange, error) {
	out := new(RollupSettlementWithdrawalIndexOutOfRange)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "WithdrawalIndexOutOfRange", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupSettlementWrongBatchId represents a WrongBatchId error raised by the RollupSettlement contract.
type RollupSettlementWrongBatchId struct {
	Expected uint64
	Got      uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongBatchId(uint64 expected, uint64 got)
func RollupSettlementWrongBatchIdErrorID() common.Hash {
	return common.HexToHash("0xd728ca29ac2fbaeece3edfbef29342956029c637e17a756df50fbb20b0dac8db")
}

// UnpackWrongBatchIdError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongBatchId(uint64 expected, uint64 got)
func (rollupSettlement *RollupSettlement) UnpackWrongBatchIdError(raw []byte) (*RollupSettlementWrongBatchId, error) {
	out := new(RollupSettlementWrongBatchId)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "WrongBatchId", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupSettlementWrongPreStateRoot represents a WrongPreStateRoot error raised by the RollupSettlement contract.
type RollupSettlementWrongPreStateRoot struct {
	Expected [32]byte
	Got      [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongPreStateRoot(bytes32 expected, bytes32 got)
func RollupSettlementWrongPreStateRootErrorID() common.Hash {
	return common.HexToHash("0x3d443f88248916ff2450ad1dddd58f8279c45fefade83b9220d13e27b7fd5fe8")
}

// UnpackWrongPreStateRootError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongPreStateRoot(bytes32 expected, bytes32 got)
func (rollupSettlement *RollupSettlement) UnpackWrongPreStateRootError(raw []byte) (*RollupSettlementWrongPreStateRoot, error) {
	out := new(RollupSettlementWrongPreStateRoot)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "WrongPreStateRoot", raw); err != nil {
		return nil, err
	}
	return out, nil
}
