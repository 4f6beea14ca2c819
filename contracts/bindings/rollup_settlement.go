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

// RollupSettlementWithdrawal is an auto generated low-level Go binding around an user-defined struct.
type RollupSettlementWithdrawal struct {
	Recipient common.Address
	Amount    uint64
}

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
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIGroth16Verifier\",\"name\":\"verifier_\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"genesisStateRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"firstBatchId\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"BadCounts\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"BadDeposit\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"expected\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"got\",\"type\":\"bytes32\"}],\"name\":\"DepositRootMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"queued\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"needed\",\"type\":\"uint64\"}],\"name\":\"DepositsNotQueued\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotInField\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"}],\"name\":\"NothingToWithdraw\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"PayoutFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"expected\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"got\",\"type\":\"uint256\"}],\"name\":\"WithdrawalCountMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"expected\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"got\",\"type\":\"bytes32\"}],\"name\":\"WithdrawalRootMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"expected\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"got\",\"type\":\"uint64\"}],\"name\":\"WrongBatchId\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"expected\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"got\",\"type\":\"bytes32\"}],\"name\":\"WrongPreStateRoot\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"batchId\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"preStateRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"postStateRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"withdrawalRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"withdrawalCount\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"depositCount\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"digest\",\"type\":\"uint256\"}],\"name\":\"BatchSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"pubKeyX\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"pubKeyY\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"amount\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"entry\",\"type\":\"uint256\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"batchId\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"amount\",\"type\":\"uint64\"}],\"name\":\"WithdrawalCredited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amountWei\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"GWEI\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"pubKeyX\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"pubKeyY\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"amount\",\"type\":\"uint64\"}],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"count\",\"type\":\"uint64\"}],\"name\":\"depositAccumulator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"name\":\"depositEntries\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"pubKeyX\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"pubKeyY\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"amount\",\"type\":\"uint64\"}],\"name\":\"depositEntry\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"depositsConsumed\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextBatchId\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pendingDeposits\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"batchId\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"preStateRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"postStateRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"batchHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"withdrawalRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"depositRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"txCount\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"transferCount\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"withdrawalCount\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"depositCount\",\"type\":\"uint64\"}],\"internalType\":\"structStatementDigest.Batch\",\"name\":\"s\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"amount\",\"type\":\"uint64\"}],\"internalType\":\"structRollupSettlement.Withdrawal[]\",\"name\":\"withdrawals\",\"type\":\"tuple[]\"},{\"internalType\":\"bytes\",\"name\":\"proof\",\"type\":\"bytes\"}],\"name\":\"settle\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"stateRoot\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"batchId\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"preStateRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"postStateRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"batchHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"withdrawalRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"depositRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"txCount\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"transferCount\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"withdrawalCount\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"depositCount\",\"type\":\"uint64\"}],\"internalType\":\"structStatementDigest.Batch\",\"name\":\"s\",\"type\":\"tuple\"}],\"name\":\"statementDigest\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"verifier\",\"outputs\":[{\"internalType\":\"contractIGroth16Verifier\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"}],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"withdrawable\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"amount\",\"type\":\"uint64\"}],\"internalType\":\"structRollupSettlement.Withdrawal[]\",\"name\":\"ws\",\"type\":\"tuple[]\"}],\"name\":\"withdrawalAccumulator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"amount\",\"type\":\"uint64\"}],\"name\":\"withdrawalEntry\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"}]",
	ID:  "RollupSettlement",
	Bin: "0x60a060405234801561000f575f5ffd5b5060405161252d38038061252d83398101604081905261002e91610063565b6001600160a01b03929092166080525f55600180546001600160401b0319166001600160401b039092169190911790556100b9565b5f5f5f60608486031215610075575f5ffd5b83516001600160a01b038116811461008b575f5ffd5b6020850151604086015191945092506001600160401b03811681146100ae575f5ffd5b809150509250925092565b6080516124556100d85f395f8181610136015261063901526124555ff3fe6080604052600436106100ef575f3560e01c80639209a78611610087578063e6c8a9ca11610057578063e6c8a9ca146102a4578063eea8d844146102c3578063f84af835146102e2578063fa11e4a0146102f5575f5ffd5b80639209a7861461022f5780639588eca21461024e578063c6c3cfcc14610262578063ce513b6f14610279575f5ffd5b806351cff8d9116100c257806351cff8d9146101b05780635c074f44146101cf578063756ffb40146101e35780638462a7f8146101f8575f5ffd5b80632ac86594146100f35780632b7ac3f3146101255780634e16224f146101705780634fd50b671461018f575b5f5ffd5b3480156100fe575f5ffd5b5061011261010d366004611fea565b610314565b6040519081526020015b60405180910390f35b348015610130575f5ffd5b506101587f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b03909116815260200161011c565b34801561017b575f5ffd5b5061011261018a366004612019565b6103bc565b34801561019a575f5ffd5b506101ae6101a93660046120a8565b6103e7565b005b3480156101bb575f5ffd5b506101ae6101ca366004612154565b610921565b3480156101da575f5ffd5b50610112610a2e565b3480156101ee575f5ffd5b5061011260035481565b348015610203575f5ffd5b50600154610217906001600160401b031681565b6040516001600160401b03909116815260200161011c565b34801561023a575f5ffd5b5061011261024936600461216d565b610a44565b348015610259575f5ffd5b506101125f5481565b34801561026d575f5ffd5b50610112633b9aca0081565b348015610284575f5ffd5b50610112610293366004612154565b60046020525f908152604090205481565b3480156102af575f5ffd5b506101126102be36600461219f565b610a70565b3480156102ce575f5ffd5b506101126102dd3660046121ba565b610a7a565b6101ae6102f036600461216d565b610af6565b348015610300575f5ffd5b5061011261030f3660046121f8565b610c0f565b6003545f908161032d6001600160401b03851683612223565b60025490915081111561037957600254610348908390612236565b60405163d0281e2b60e01b815260048101919091526001600160401b03851660248201526044015b60405180910390fd5b5f825b828110156103b3576103a9826002838154811061039b5761039b612249565b905f5260205f200154610c2e565b915060010161037c565b50949350505050565b6001600160a01b03821667ffffffffffffffff60a01b60a083901b161761040160f01b175b92915050565b6001546001600160401b03166104006020870187611fea565b6001600160401b031614610453576001546001600160401b03166104276020870187611fea565b60405163d728ca2960e01b81526001600160401b03928316600482015291166024820152604401610370565b5f54856020013514610488575f546040516307a887f160e31b8152600481019190915260208601356024820152604401610370565b61049a61014086016101208701611fea565b6001600160401b03166104b561012087016101008801611fea565b6001600160401b03166104cf610100880160e08901611fea565b6001600160401b03166104e29190612223565b6104ec9190612223565b6104fc60e0870160c08801611fea565b6001600160401b031614610523576040516305fcd7b560e31b815260040160405180910390fd5b5f61053961010d61014088016101208901611fea565b90508560a00135811461056c57604051639f29a87b60e01b81526004810182905260a08701356024820152604401610370565b61057e61012087016101008801611fea565b6001600160401b031684146105cb5761059f61012087016101008801611fea565b604051632932def560e21b81526001600160401b03909116600482015260248101859052604401610370565b5f6105d68686610a7a565b9050866080013581146106095760405163b98800f360e01b81526004810182905260808801356024820152604401610370565b5f61061388611ebd565b604080516020810182528281529051632363e29760e21b81529192506001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001691638d8f8a5c91610670918991899160040161225d565b5f6040518083038186803b158015610686575f5ffd5b505afa158015610698573d5f5f3e3d5ffd5b5050505060408801355f556106b06020890189611fea565b6106bb9060016122b7565b6001805467ffffffffffffffff19166001600160401b03929092169190911790556106ee61014089016101208a01611fea565b6001600160401b031660035f8282546107079190612223565b909155505f90505b8681101561086c57633b9aca0088888381811061072e5761072e612249565b90506040020160200160208101906107469190611fea565b6001600160401b031661075991906122d6565b60045f8a8a8581811061076e5761076e612249565b6107849260206040909202019081019150612154565b6001600160a01b03166001600160a01b031681526020019081526020015f205f8282546107b19190612223565b9091555088905087828181106107c9576107c9612249565b6107df9260206040909202019081019150612154565b6001600160a01b03166107f560208b018b611fea565b6001600160401b03167f9e9550fe005e5cfe2ffc5998a0d716088f48f95f6310c22404034377be79ba968a8a8581811061083157610831612249565b90506040020160200160208101906108499190611fea565b6040516001600160401b03909116815260200160405180910390a360010161070f565b5061087a6020890189611fea565b6001600160401b03167f904ac4c48ce5eb4023a0f47d4b97fd071caa9a2ab655d31c102da5d56e6ba0f760208a013560408b013560808c01356108c56101208e016101008f01611fea565b8d6101200160208101906108d99190611fea565b604080519586526020860194909452928401919091526001600160401b03908116606084015216608082015260a0810184905260c00160405180910390a25050505050505050565b6001600160a01b0381165f908152600460205260408120549081900361096557604051636e34ee0b60e11b81526001600160a01b0383166004820152602401610370565b6001600160a01b0382165f8181526004602052604080822091909155517f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5906109b19084815260200190565b60405180910390a25f826001600160a01b0316826040515f6040518083038185875af1925050503d805f8114610a02576040519150601f19603f3d011682016040523d82523d5f602084013e610a07565b606091505b5050905080610a2957604051630ec6ac4160e21b815260040160405180910390fd5b505050565b6003546002545f91610a3f91612236565b905090565b5f610a68610a528585610c2e565b6001600160401b03841661050160f01b17610c2e565b949350505050565b5f6103e182611ebd565b5f80805b83811015610aee57610ae482610adf878785818110610a9f57610a9f612249565b610ab59260206040909202019081019150612154565b888886818110610ac757610ac7612249565b905060400201602001602081019061018a9190611fea565b610c2e565b9150600101610a7e565b509392505050565b6001600160401b0381161580610b225750610b1e633b9aca006001600160401b0383166122d6565b3414155b80610b3a57505f5160206124005f395f51905f528310155b80610b5257505f5160206124005f395f51905f528210155b15610b7057604051635f31331960e01b815260040160405180910390fd5b5f610b7c848484610a44565b600280546001810182555f919091527f405787fa12a823e0f2b7631cc41b3ba8828b3321ca811111fa75cd3aa3bb5ace810182905560408051878152602081018790526001600160401b03861681830152606081018490529051929350909182917f31e99ad6e65548534dd5c7054c914e16f992ffa384d5b463c9daed3cd46bd11e919081900360800190a25050505050565b60028181548110610c1e575f80fd5b5f91825260209091200154905081565b5f5f5160206124005f395f51905f5283101580610c5857505f5160206124005f395f51905f528210155b15610c7657604051630474be3f60e51b815260040160405180910390fd5b5f5160206124005f395f51905f5283835f838284089050838382089250838282089150837f1da4d6adfb0d0b494584f763db50a81908580a5f5e295e168b9b8d31770fac4f84089250837f0946129a2e33b4e819707a56a3b3790eab80d0a0c7a0c63451fab2a59acc074c83089150838384099050838182099050838382099250838283099050838182099050838282099150838284089050838382089250838282089150837f2a39b9d5376afd35580abd6952986570867b87303b07140268794dad4b8f82ea84089250837f27605717d1245c20c546b3c7014e5fa3e4a70e66ecd6de5d32448eea5e3069b283089150838384099050838182099050838382099250838283099050838182099050838282099150838284089050838382089250838282089150837f24c896cb2594e17b973653193a470ed7e771ebb09a228d638e50809c0377363284089250837f0911096c45dd9cda0d61d783957003db6d8701c7869a919ad8042e1b7d597a4983089150838384099050838182099050838382099250838283099050838182099050838282099150838284089050838382089250838282089150837f26ff6166f1e4b99e27eee6d352a8ce26f1daba01aad28021f11f38a70603afdc84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837e8e2faedcf76d08ad6591ff90e50fea79bcb5e18cfb7d954d5b89437bf64b7e84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f19c9da2379b598ace3ad4d1872470830f6184a3cec71eeb632f98820eb353d7884089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f0f7c4eb15d8b0b62a8f6a090ec9610a2ab3dfcdb57e2539aa459a40583dfe96b84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f18b99417dc26b5e079750eba282362d1d46900b47dd5ff809171588b08ac398384089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f1ee044081160b3eee2d4493feab82141c73f1c054b76320a8848af08a8d91a2684089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f29bb95c8763efd3e0e87f5df12ee8a150455b6d7a14780d19122220366c258dc84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f22c23eec9cb13ff8a3ee9a363d740653215e8991f7f9ec12067b4705e9a5c9fb84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f23589e033a31a667680c8b18926c3be09115c7644c4f905cc7deefc1690b42dc84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f304e99b887f2e1e92c9c0cde5f2bdd4764f60b98a219f1f0dd64ec938a6a247c84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f22e817865236ad3a76fbe88bbdf31fcae792f326271d53a3a493b2de7f7d8b4c84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f10c9efe573e86fa5b238a3f5c70a00bf02bc7dcfcc4878e026b77c881dc8b1c984089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f0a94f16be920d85f4d6f80e745c6bddbc084f309edffef023ea283c72b89bbb684089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f23ed72b4d01d14e3c7888fedb770494abc2c1ea81d6465b5df3da0ebcd69101a84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f17c5115640e4cebeed0e6cbb511ac38498df815a77cb162de8d8f1022eb6bb7484089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f2e507fcca290d0d9cf765245750eb04773e09e1fc813959fb99680a82772e4fc84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f0d4a98999f5b39176af6cce65c8d12162433f055cb71d70dfc8803013292bbbf84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f238d8022cc09c21ab3c01261a03dc125321d829e22a7a3b7a1bd3c335eccfa2184089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f010cd8e4c2b7051cb81dc8292e35d8e943ce365613d5b39770e454ed9f4ae16584089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f088027e54f2a3604b11178cf0ea3c6aa861173a90fb231238e03539590ecc02784089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f1b840f5311a2b1d4b4cd7aa7e5a9a6d161165468daa938108302b73e464819db84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f2bf51a5da1828a1cf9b764b1e16c15929a3a346e44198ea0cb366fcd8db78dc184089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f206ad089d8d296ffe68a6a86767a7fe726b8872f9c7beef9d56a3a50f6f2382784089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f24d19193171494fa1a54e0a99ac16d05eaec4b6d617c7c199fc07ff88eac550c84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f1dd654a2ca9d9f24f33d88246a40dfb32c40662278b9c0b995d9f9fbaf15213884089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f0d171025c925f6e259d20ecbd3a601108c85f05b0fe7793b8acf57f3789785e484089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f055bef435a43aec245cd99ccb0f7c8791d9e8cf2b80d95dd98b9908fed877d5584089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f10d2ac8c61c8a2e88a2a3f42d9359a14be63d0ad4cfd9f203b75765d0e595f0e84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f103479710e70996982a84057ec3ba6b2254d7966ddc41e85296e3d0790dcfa5684089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f2a366f0448fda3c05914ffb48c765da8de96f9aa340db1638225f8372921807b84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f16be0fb8ef62da17919b6e0378d00594153bb8899aeb686c04626b63285837a484089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f0417038500e9d06c60abbc7f0d0d24c32dec8a0b2aa5a4d52cfd8c78a15bc37084089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f26a6873b43ffd2ccf66ec6f4493ff9b54f4d76480bc486a3e5a0308fdd01381284089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f0a3314a838f32630a96251914fe5ad262f3db9b2aa8aa9f7391922d36278c49884089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f0fde0c5429a6beb07f462d4821f48f86aeadb46a090b15a044f4b59399027da484089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f0abc2d5049972a6b9b357e4163793b0bb517e1eb535a984df11a1c89cda2c8a984089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f0dab51d6e3ebfa661d21722fb21e55051b427a5f173f7f17735205dbb77c464e84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f29c36622598b511d51af6cc37123652fb21be5c2d68fb8efe9b92e70a8c1ae0384089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f2c03ec80adac2a33ae846bc0b700d0bcc41c4096e53ac6990d6bbe7ea2fbc85c84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f0918fdbe9cf3a59fbdb4c6852d065105317303116017d893b8b521e3cebe1e0d84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f1f19ec22e69ca33f599dd13cd7e495a8176a79df4f7acf79a9d2135acabe235984089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f1c4b037c8ae85ee1eb32b872eb7f76928c4c76b29ceb001346447b291108070484089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f2b68900ed906616d6c826d0bde341766ba3131e04d420de5af0a69c534efd8db84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f20ca92aa222fcc69448f8dac653c8daaa180ff6dfb397cef723d4f0c782bc7f084089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f10d22d05bdff6bb375276fc82057db337045a5ab7ac053941f6186289b66b2b684089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f0b1ffdbb529367bb98f32ba45784cb435aa910b4a00636d1e5ca79e88bdd6cd984089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f2da32b38e7984bc2ed757ec705eccf8282c7b4f82e5e515f6f89bcc33022ce9f84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f042593ad87403f6d2674b8b55a886725b87eb33958031e94d292cecc6abed1bb84089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f181fa1b4d067783a19d7367bf49b3f01051faedab463a6de9308fbd6e7d419f184089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f15aaa6cc9b7900b15683c95515c26028a8e35b00ed8a815c34927188c60de66084089250838384099050838182099050838382099250838284089050838184089250838185848508089150837f1bf28a93209084bbbc63234f057254c280b1a636f5a0eced6787320212f75a7a84089250837f1cdb8c8bee5426f02cd9e229776118f156273b312f805c8e6f8c9d81a620cb6f83089150838384099050838182099050838382099250838283099050838182099050838282099150838284089050838382089250838282089150837f08299c0abf196d53162e0facb5f1876f516df2505cc387a0f8ea0e8760d5ca7e84089250837f221643d205fe82778a7b7b58cb65c4962d76c0072cabd1124117269d7c710b8a83089150838384099050838182099050838382099250838283099050838182099050838282099150838284089050838382089250838282089150837f2d036a95f81cf49bb7a0143a28c88767f6bd10c3f74b22db487920d43343dbff84089250837f08a50897c06aafe6ea414fb1bceca2267cd4a39486729fbc6d5d1bb7a172ebd28308915083838409905083818209905083838209925083828309905083818209905083828209915083828408905083838208925083828208915050828582089695505050505050565b5f80632d25a92160e11b6001611ed66020860186611fea565b602086013560408701356060880135608089013560a08a0135611eff60e08c0160c08d01611fea565b611f106101008d0160e08e01611fea565b611f226101208e016101008f01611fea565b8d610120016020810190611f369190611fea565b604051602001611f519c9b9a999897969594939291906122ed565b60405160208183030381529060405290505f5160206124005f395f51905f52600282604051611f8091906123b3565b602060405180830381855afa158015611f9b573d5f5f3e3d5ffd5b5050506040513d601f19601f82011682018060405250810190611fbe91906123c9565b611fc891906123e0565b9392505050565b80356001600160401b0381168114611fe5575f5ffd5b919050565b5f60208284031215611ffa575f5ffd5b611fc882611fcf565b80356001600160a01b0381168114611fe5575f5ffd5b5f5f6040838503121561202a575f5ffd5b61203383612003565b915061204160208401611fcf565b90509250929050565b5f610140828403121561205b575f5ffd5b50919050565b5f5f83601f840112612071575f5ffd5b5081356001600160401b03811115612087575f5ffd5b6020830191508360208260061b85010111156120a1575f5ffd5b9250929050565b5f5f5f5f5f61018086880312156120bd575f5ffd5b6120c7878761204a565b94506101408601356001600160401b038111156120e2575f5ffd5b6120ee88828901612061565b9095509350506101608601356001600160401b0381111561210d575f5ffd5b8601601f8101881361211d575f5ffd5b80356001600160401b03811115612132575f5ffd5b886020828401011115612143575f5ffd5b959894975092955050506020019190565b5f60208284031215612164575f5ffd5b611fc882612003565b5f5f5f6060848603121561217f575f5ffd5b833592506020840135915061219660408501611fcf565b90509250925092565b5f61014082840312156121b0575f5ffd5b611fc8838361204a565b5f5f602083850312156121cb575f5ffd5b82356001600160401b038111156121e0575f5ffd5b6121ec85828601612061565b90969095509350505050565b5f60208284031215612208575f5ffd5b5035919050565b634e487b7160e01b5f52601160045260245ffd5b808201808211156103e1576103e161220f565b818103818111156103e1576103e161220f565b634e487b7160e01b5f52603260045260245ffd5b60408152826040820152828460608301375f606084830101525f6060601f19601f860116830101905060208201835f5b60018110156122ac57815183526020928301929091019060010161228d565b505050949350505050565b6001600160401b0381811683821601908111156103e1576103e161220f565b80820281158282048414176103e1576103e161220f565b63ffffffff60e01b8d16815261ffff60f01b8c60f01b1660048201526001600160401b0360c01b8b60c01b16600682015289600e82015288602e82015287604e82015286606e82015285608e82015261235560ae82018660c01b6001600160c01b0319169052565b61236e60b682018560c01b6001600160c01b0319169052565b61238760be82018460c01b6001600160c01b0319169052565b6123a060c682018360c01b6001600160c01b0319169052565b60ce019c9b505050505050505050505050565b5f82518060208501845e5f920191825250919050565b5f602082840312156123d9575f5ffd5b5051919050565b5f826123fa57634e487b7160e01b5f52601260045260245ffd5b50069056fe30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001a26469706673582212201882e264ce8de0f6b40c953fdb41d1461b96b683f86c12097da7181115333c8764736f6c634300081e0033",
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

// PackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf84af835.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deposit(uint256 pubKeyX, uint256 pubKeyY, uint64 amount) payable returns()
func (rollupSettlement *RollupSettlement) PackDeposit(pubKeyX *big.Int, pubKeyY *big.Int, amount uint64) []byte {
	enc, err := rollupSettlement.abi.Pack("deposit", pubKeyX, pubKeyY, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf84af835.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deposit(uint256 pubKeyX, uint256 pubKeyY, uint64 amount) payable returns()
func (rollupSettlement *RollupSettlement) TryPackDeposit(pubKeyX *big.Int, pubKeyY *big.Int, amount uint64) ([]byte, error) {
	return rollupSettlement.abi.Pack("deposit", pubKeyX, pubKeyY, amount)
}

// PackDepositAccumulator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2ac86594.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depositAccumulator(uint64 count) view returns(bytes32)
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
// Solidity: function depositAccumulator(uint64 count) view returns(bytes32)
func (rollupSettlement *RollupSettlement) TryPackDepositAccumulator(count uint64) ([]byte, error) {
	return rollupSettlement.abi.Pack("depositAccumulator", count)
}

// UnpackDepositAccumulator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2ac86594.
//
// Solidity: function depositAccumulator(uint64 count) view returns(bytes32)
func (rollupSettlement *RollupSettlement) UnpackDepositAccumulator(data []byte) ([32]byte, error) {
	out, err := rollupSettlement.abi.Unpack("depositAccumulator", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDepositEntries is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfa11e4a0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depositEntries(uint256 ) view returns(uint256)
func (rollupSettlement *RollupSettlement) PackDepositEntries(arg0 *big.Int) []byte {
	enc, err := rollupSettlement.abi.Pack("depositEntries", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepositEntries is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfa11e4a0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function depositEntries(uint256 ) view returns(uint256)
func (rollupSettlement *RollupSettlement) TryPackDepositEntries(arg0 *big.Int) ([]byte, error) {
	return rollupSettlement.abi.Pack("depositEntries", arg0)
}

// UnpackDepositEntries is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfa11e4a0.
//
// Solidity: function depositEntries(uint256 ) view returns(uint256)
func (rollupSettlement *RollupSettlement) UnpackDepositEntries(data []byte) (*big.Int, error) {
	out, err := rollupSettlement.abi.Unpack("depositEntries", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDepositEntry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9209a786.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depositEntry(uint256 pubKeyX, uint256 pubKeyY, uint64 amount) pure returns(uint256)
func (rollupSettlement *RollupSettlement) PackDepositEntry(pubKeyX *big.Int, pubKeyY *big.Int, amount uint64) []byte {
	enc, err := rollupSettlement.abi.Pack("depositEntry", pubKeyX, pubKeyY, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepositEntry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9209a786.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function depositEntry(uint256 pubKeyX, uint256 pubKeyY, uint64 amount) pure returns(uint256)
func (rollupSettlement *RollupSettlement) TryPackDepositEntry(pubKeyX *big.Int, pubKeyY *big.Int, amount uint64) ([]byte, error) {
	return rollupSettlement.abi.Pack("depositEntry", pubKeyX, pubKeyY, amount)
}

// UnpackDepositEntry is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9209a786.
//
// Solidity: function depositEntry(uint256 pubKeyX, uint256 pubKeyY, uint64 amount) pure returns(uint256)
func (rollupSettlement *RollupSettlement) UnpackDepositEntry(data []byte) (*big.Int, error) {
	out, err := rollupSettlement.abi.Unpack("depositEntry", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
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
// the contract method with ID 0x4fd50b67.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function settle((uint64,bytes32,bytes32,bytes32,bytes32,bytes32,uint64,uint64,uint64,uint64) s, (address,uint64)[] withdrawals, bytes proof) returns()
func (rollupSettlement *RollupSettlement) PackSettle(s StatementDigestBatch, withdrawals []RollupSettlementWithdrawal, proof []byte) []byte {
	enc, err := rollupSettlement.abi.Pack("settle", s, withdrawals, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSettle is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4fd50b67.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function settle((uint64,bytes32,bytes32,bytes32,bytes32,bytes32,uint64,uint64,uint64,uint64) s, (address,uint64)[] withdrawals, bytes proof) returns()
func (rollupSettlement *RollupSettlement) TryPackSettle(s StatementDigestBatch, withdrawals []RollupSettlementWithdrawal, proof []byte) ([]byte, error) {
	return rollupSettlement.abi.Pack("settle", s, withdrawals, proof)
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

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x51cff8d9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw(address recipient) returns()
func (rollupSettlement *RollupSettlement) PackWithdraw(recipient common.Address) []byte {
	enc, err := rollupSettlement.abi.Pack("withdraw", recipient)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x51cff8d9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw(address recipient) returns()
func (rollupSettlement *RollupSettlement) TryPackWithdraw(recipient common.Address) ([]byte, error) {
	return rollupSettlement.abi.Pack("withdraw", recipient)
}

// PackWithdrawable is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xce513b6f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawable(address ) view returns(uint256)
func (rollupSettlement *RollupSettlement) PackWithdrawable(arg0 common.Address) []byte {
	enc, err := rollupSettlement.abi.Pack("withdrawable", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawable is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xce513b6f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawable(address ) view returns(uint256)
func (rollupSettlement *RollupSettlement) TryPackWithdrawable(arg0 common.Address) ([]byte, error) {
	return rollupSettlement.abi.Pack("withdrawable", arg0)
}

// UnpackWithdrawable is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xce513b6f.
//
// Solidity: function withdrawable(address ) view returns(uint256)
func (rollupSettlement *RollupSettlement) UnpackWithdrawable(data []byte) (*big.Int, error) {
	out, err := rollupSettlement.abi.Unpack("withdrawable", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackWithdrawalAccumulator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeea8d844.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawalAccumulator((address,uint64)[] ws) pure returns(bytes32)
func (rollupSettlement *RollupSettlement) PackWithdrawalAccumulator(ws []RollupSettlementWithdrawal) []byte {
	enc, err := rollupSettlement.abi.Pack("withdrawalAccumulator", ws)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawalAccumulator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeea8d844.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawalAccumulator((address,uint64)[] ws) pure returns(bytes32)
func (rollupSettlement *RollupSettlement) TryPackWithdrawalAccumulator(ws []RollupSettlementWithdrawal) ([]byte, error) {
	return rollupSettlement.abi.Pack("withdrawalAccumulator", ws)
}

// UnpackWithdrawalAccumulator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xeea8d844.
//
// Solidity: function withdrawalAccumulator((address,uint64)[] ws) pure returns(bytes32)
func (rollupSettlement *RollupSettlement) UnpackWithdrawalAccumulator(data []byte) ([32]byte, error) {
	out, err := rollupSettlement.abi.Unpack("withdrawalAccumulator", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackWithdrawalEntry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4e16224f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawalEntry(address recipient, uint64 amount) pure returns(uint256)
func (rollupSettlement *RollupSettlement) PackWithdrawalEntry(recipient common.Address, amount uint64) []byte {
	enc, err := rollupSettlement.abi.Pack("withdrawalEntry", recipient, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawalEntry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4e16224f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawalEntry(address recipient, uint64 amount) pure returns(uint256)
func (rollupSettlement *RollupSettlement) TryPackWithdrawalEntry(recipient common.Address, amount uint64) ([]byte, error) {
	return rollupSettlement.abi.Pack("withdrawalEntry", recipient, amount)
}

// UnpackWithdrawalEntry is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4e16224f.
//
// Solidity: function withdrawalEntry(address recipient, uint64 amount) pure returns(uint256)
func (rollupSettlement *RollupSettlement) UnpackWithdrawalEntry(data []byte) (*big.Int, error) {
	out, err := rollupSettlement.abi.Unpack("withdrawalEntry", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
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
	PubKeyX *big.Int
	PubKeyY *big.Int
	Amount  uint64
	Entry   *big.Int
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
// Solidity: event Deposited(uint256 indexed index, uint256 pubKeyX, uint256 pubKeyY, uint64 amount, uint256 entry)
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

// RollupSettlementWithdrawalCredited represents a WithdrawalCredited event raised by the RollupSettlement contract.
type RollupSettlementWithdrawalCredited struct {
	BatchId   uint64
	Recipient common.Address
	Amount    uint64
	Raw       *types.Log // Blockchain specific contextual infos
}

const RollupSettlementWithdrawalCreditedEventName = "WithdrawalCredited"

// ContractEventName returns the user-defined event name.
func (RollupSettlementWithdrawalCredited) ContractEventName() string {
	return RollupSettlementWithdrawalCreditedEventName
}

// UnpackWithdrawalCreditedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event WithdrawalCredited(uint64 indexed batchId, address indexed recipient, uint64 amount)
func (rollupSettlement *RollupSettlement) UnpackWithdrawalCreditedEvent(log *types.Log) (*RollupSettlementWithdrawalCredited, error) {
	event := "WithdrawalCredited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollupSettlement.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupSettlementWithdrawalCredited)
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

// RollupSettlementWithdrawn represents a Withdrawn event raised by the RollupSettlement contract.
type RollupSettlementWithdrawn struct {
	Recipient common.Address
	AmountWei *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const RollupSettlementWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (RollupSettlementWithdrawn) ContractEventName() string {
	return RollupSettlementWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(address indexed recipient, uint256 amountWei)
func (rollupSettlement *RollupSettlement) UnpackWithdrawnEvent(log *types.Log) (*RollupSettlementWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != rollupSettlement.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(RollupSettlementWithdrawn)
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
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["BadCounts"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackBadCountsError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["BadDeposit"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackBadDepositError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["DepositRootMismatch"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackDepositRootMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["DepositsNotQueued"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackDepositsNotQueuedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["NotInField"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackNotInFieldError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["NothingToWithdraw"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackNothingToWithdrawError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["PayoutFailed"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackPayoutFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["WithdrawalCountMismatch"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackWithdrawalCountMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["WithdrawalRootMismatch"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackWithdrawalRootMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["WrongBatchId"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackWrongBatchIdError(raw[4:])
	}
	if bytes.Equal(raw[:4], rollupSettlement.abi.Errors["WrongPreStateRoot"].ID.Bytes()[:4]) {
		return rollupSettlement.UnpackWrongPreStateRootError(raw[4:])
	}
	return nil, errors.New("Unknown error")
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

// RollupSettlementNotInField represents a NotInField error raised by the RollupSettlement contract.
type RollupSettlementNotInField struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotInField()
func RollupSettlementNotInFieldErrorID() common.Hash {
	return common.HexToHash("0x8e97c7e0e0e7cb40d96152481bd20f94db1012d27089584e189fa13f51d17ee0")
}

// UnpackNotInFieldError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotInField()
func (rollupSettlement *RollupSettlement) UnpackNotInFieldError(raw []byte) (*RollupSettlementNotInField, error) {
	out := new(RollupSettlementNotInField)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "NotInField", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupSettlementNothingToWithdraw represents a NothingToWithdraw error raised by the RollupSettlement contract.
type RollupSettlementNothingToWithdraw struct {
	Recipient common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NothingToWithdraw(address recipient)
func RollupSettlementNothingToWithdrawErrorID() common.Hash {
	return common.HexToHash("0xdc69dc16e4a8405b44139edda9a06ee66b303337358b6f4633533d65de15b7f4")
}

// UnpackNothingToWithdrawError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NothingToWithdraw(address recipient)
func (rollupSettlement *RollupSettlement) UnpackNothingToWithdrawError(raw []byte) (*RollupSettlementNothingToWithdraw, error) {
	out := new(RollupSettlementNothingToWithdraw)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "NothingToWithdraw", raw); err != nil {
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

// RollupSettlementWithdrawalCountMismatch represents a WithdrawalCountMismatch error raised by the RollupSettlement contract.
type RollupSettlementWithdrawalCountMismatch struct {
	Expected uint64
	Got      *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WithdrawalCountMismatch(uint64 expected, uint256 got)
func RollupSettlementWithdrawalCountMismatchErrorID() common.Hash {
	return common.HexToHash("0xa4cb7bd46456b3eb734ebf00151f5d6a7f0753df3a654b5dd169255ce8507958")
}

// UnpackWithdrawalCountMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WithdrawalCountMismatch(uint64 expected, uint256 got)
func (rollupSettlement *RollupSettlement) UnpackWithdrawalCountMismatchError(raw []byte) (*RollupSettlementWithdrawalCountMismatch, error) {
	out := new(RollupSettlementWithdrawalCountMismatch)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "WithdrawalCountMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// RollupSettlementWithdrawalRootMismatch represents a WithdrawalRootMismatch error raised by the RollupSettlement contract.
type RollupSettlementWithdrawalRootMismatch struct {
	Expected [32]byte
	Got      [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WithdrawalRootMismatch(bytes32 expected, bytes32 got)
func RollupSettlementWithdrawalRootMismatchErrorID() common.Hash {
	return common.HexToHash("0xb98800f3135c6b2857c805fdbeb207b0d1915a8146c0bd5a0303089ca84402ed")
}

// UnpackWithdrawalRootMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WithdrawalRootMismatch(bytes32 expected, bytes32 got)
func (rollupSettlement *RollupSettlement) UnpackWithdrawalRootMismatchError(raw []byte) (*RollupSettlementWithdrawalRootMismatch, error) {
	out := new(RollupSettlementWithdrawalRootMismatch)
	if err := rollupSettlement.abi.UnpackIntoInterface(out, "WithdrawalRootMismatch", raw); err != nil {
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
