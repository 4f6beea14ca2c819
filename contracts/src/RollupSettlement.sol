// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {IGroth16Verifier} from "./IGroth16Verifier.sol";
import {StatementDigest} from "./StatementDigest.sol";

/// @title Settlement of zkfleet rollup batches.
/// @notice Holds the rollup's current state root and the id of the next
/// batch, a queue of deposits from L1, and the withdrawal root of every
/// settled batch. `settle` accepts a batch only if it starts at the current
/// root, is the next batch, consumes exactly the next queued deposits, and
/// its proof verifies against the statement digest recomputed here.
///
/// Amounts are in gwei (the rollup's 64-bit balances): a deposit of `amount`
/// carries amount × 1 gwei of ether, a withdrawal pays it out.
///
/// Deposit accumulator: each deposit has the leaf
///     keccak256(abi.encode(pubKeyX, pubKeyY, to, amount))
/// (four 32-byte words); a batch consuming deposits d_1..d_n has
///     acc_0 = 0,  acc_i = keccak256(abi.encode(acc_{i-1}, leaf(d_i))),
/// and its statement's depositRoot must equal acc_n.
///
/// Withdrawal tree: a batch's withdrawals w_0..w_{n-1} are the leaves
///     keccak256(abi.encode(uint256(i), recipient, amount))
/// (three words, so a leaf is never the 64-byte preimage of an inner node)
/// of a binary tree of depth d = ceil(log2(n)) (a single withdrawal is the
/// root itself) padded with zero leaves, inner node = keccak256(left ‖ right);
/// the statement's withdrawalRoot is its root, and 0 when n = 0. Bit k of i
/// (from the leaf up) says whether the node at level k is a right child.
///
/// The rollup's circuits accumulate deposits and withdrawals with Poseidon2
/// instead; until one side adopts the other's accumulators only batches
/// without deposits and withdrawals settle (docs/ARCHITECTURE.md,
/// "Settlement").
contract RollupSettlement {
    uint256 public constant GWEI = 1 gwei;

    /// The verifier of the rollup's final proofs.
    IGroth16Verifier public immutable verifier;
    /// The state root every batch so far has led to.
    bytes32 public stateRoot;
    /// The id the next settled batch must carry.
    uint64 public nextBatchId;
    /// Leaves of every deposit ever made, in order.
    bytes32[] public depositLeaves;
    /// How many queued deposits settled batches have consumed.
    uint256 public depositsConsumed;

    struct SettledBatch {
        bytes32 postStateRoot;
        bytes32 withdrawalRoot;
        uint64 withdrawalCount;
        bool settled;
    }

    /// Settled batches by id.
    mapping(uint64 => SettledBatch) public batches;
    /// claimed[batchId][index]: the withdrawal has been paid out.
    mapping(uint64 => mapping(uint32 => bool)) public claimed;

    event Deposited(
        uint256 indexed index, uint64 indexed to, uint256 pubKeyX, uint256 pubKeyY, uint64 amount, bytes32 leaf
    );
    event BatchSettled(
        uint64 indexed batchId,
        bytes32 preStateRoot,
        bytes32 postStateRoot,
        bytes32 withdrawalRoot,
        uint64 withdrawalCount,
        uint64 depositCount,
        uint256 digest
    );
    event WithdrawalClaimed(uint64 indexed batchId, uint32 indexed index, address indexed recipient, uint64 amount);

    error WrongBatchId(uint64 expected, uint64 got);
    error WrongPreStateRoot(bytes32 expected, bytes32 got);
    error DepositsNotQueued(uint256 queued, uint64 needed);
    error DepositRootMismatch(bytes32 expected, bytes32 got);
    error EmptyWithdrawalRootNotZero();
    error BadCounts();
    error BadDeposit();
    error BatchNotSettled(uint64 batchId);
    error WithdrawalIndexOutOfRange(uint32 index, uint64 count);
    error BadInclusionProof();
    error AlreadyClaimed(uint64 batchId, uint32 index);
    error PayoutFailed();

    constructor(IGroth16Verifier verifier_, bytes32 genesisStateRoot, uint64 firstBatchId) {
        verifier = verifier_;
        stateRoot = genesisStateRoot;
        nextBatchId = firstBatchId;
    }

    /// Queue a deposit of `amount` gwei (sent as msg.value) to the rollup
    /// account `to` with BabyJubjub public key (pubKeyX, pubKeyY).
    function deposit(uint256 pubKeyX, uint256 pubKeyY, uint64 to, uint64 amount) external payable {
        if (
            amount == 0 || msg.value != uint256(amount) * GWEI || pubKeyX >= StatementDigest.R
                || pubKeyY >= StatementDigest.R
        ) {
            revert BadDeposit();
        }
        bytes32 leaf = keccak256(abi.encode(pubKeyX, pubKeyY, to, amount));
        uint256 index = depositLeaves.length;
        depositLeaves.push(leaf);
        emit Deposited(index, to, pubKeyX, pubKeyY, amount, leaf);
    }

    /// Number of deposits queued and not yet consumed by a settled batch.
    function pendingDeposits() external view returns (uint256) {
        return depositLeaves.length - depositsConsumed;
    }

    /// The accumulator of the `count` deposits that follow the consumed ones.
    function depositAccumulator(uint64 count) public view returns (bytes32 acc) {
        uint256 start = depositsConsumed;
        uint256 end = start + count;
        if (end > depositLeaves.length) {
            revert DepositsNotQueued(depositLeaves.length - start, count);
        }
        for (uint256 i = start; i < end; i++) {
            acc = keccak256(abi.encode(acc, depositLeaves[i]));
        }
    }

    /// The digest a batch proof's public input must be.
    function statementDigest(StatementDigest.Batch calldata s) external pure returns (uint256) {
        return StatementDigest.batchDigest(s);
    }

    /// Settle the next batch. Reverts with the reason when the statement
    /// does not continue the chain or the proof does not verify.
    function settle(StatementDigest.Batch calldata s, bytes calldata proof) external {
        if (s.batchId != nextBatchId) revert WrongBatchId(nextBatchId, s.batchId);
        if (s.preStateRoot != stateRoot) revert WrongPreStateRoot(stateRoot, s.preStateRoot);
        bytes32 acc = depositAccumulator(s.depositCount);
        if (acc != s.depositRoot) revert DepositRootMismatch(acc, s.depositRoot);
        if (s.withdrawalCount == 0 && s.withdrawalRoot != bytes32(0)) revert EmptyWithdrawalRootNotZero();
        if (uint256(s.txCount) != uint256(s.transferCount) + s.withdrawalCount + s.depositCount) revert BadCounts();

        uint256 digest = StatementDigest.batchDigest(s);
        verifier.verifyProof(proof, [digest]);

        stateRoot = s.postStateRoot;
        nextBatchId = s.batchId + 1;
        depositsConsumed += s.depositCount;
        batches[s.batchId] = SettledBatch(s.postStateRoot, s.withdrawalRoot, s.withdrawalCount, true);
        emit BatchSettled(
            s.batchId, s.preStateRoot, s.postStateRoot, s.withdrawalRoot, s.withdrawalCount, s.depositCount, digest
        );
    }

    /// Pay out withdrawal `index` of a settled batch to its recipient, once,
    /// given its Merkle path (siblings from the leaf up) in the batch's
    /// withdrawal tree. Anyone may submit it; the ether goes to `recipient`.
    function claimWithdrawal(
        uint64 batchId,
        uint32 index,
        address recipient,
        uint64 amount,
        bytes32[] calldata siblings
    ) external {
        SettledBatch storage b = batches[batchId];
        if (!b.settled) revert BatchNotSettled(batchId);
        if (index >= b.withdrawalCount) revert WithdrawalIndexOutOfRange(index, b.withdrawalCount);
        if (siblings.length != treeDepth(b.withdrawalCount)) revert BadInclusionProof();
        bytes32 node = keccak256(abi.encode(uint256(index), recipient, amount));
        uint256 bits = index;
        for (uint256 k = 0; k < siblings.length; k++) {
            node = bits & 1 == 0
                ? keccak256(abi.encodePacked(node, siblings[k]))
                : keccak256(abi.encodePacked(siblings[k], node));
            bits >>= 1;
        }
        if (node != b.withdrawalRoot) revert BadInclusionProof();
        if (claimed[batchId][index]) revert AlreadyClaimed(batchId, index);
        claimed[batchId][index] = true;
        emit WithdrawalClaimed(batchId, index, recipient, amount);
        (bool ok,) = recipient.call{value: uint256(amount) * GWEI}("");
        if (!ok) revert PayoutFailed();
    }

    /// ceil(log2(n)) for n ≥ 1: the depth of a withdrawal tree of n leaves.
    function treeDepth(uint64 n) public pure returns (uint256 d) {
        while ((uint256(1) << d) < n) d++;
    }
}
