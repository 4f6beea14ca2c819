// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {IGroth16Verifier} from "./IGroth16Verifier.sol";
import {Poseidon2} from "./Poseidon2.sol";
import {StatementDigest} from "./StatementDigest.sol";

/// @title Settlement of zkfleet rollup batches.
/// @notice Holds the rollup's current state root and the id of the next
/// batch, and a queue of deposits from L1. `settle` accepts a batch only if
/// it starts at the current root, is the next batch, consumes exactly the
/// next queued deposits, lists the withdrawals its statement accumulates,
/// and its proof verifies against the statement digest recomputed here. The
/// batch's withdrawals are then credited to their recipients, who are paid
/// by `withdraw`.
///
/// Amounts are in gwei (the rollup's 64-bit balances): a deposit of `amount`
/// carries amount × 1 gwei of ether, a withdrawal pays it out.
///
/// The accumulators are the rollup's (rollup/batch, rollup/state, version
/// 1): Merkle–Damgård chains of the Poseidon2 compression C = Poseidon2.compress
/// from zero, acc_i = C(acc_{i-1}, entry_i), over
///   deposits:    entry = C(C(pubKeyX, pubKeyY), amount | 0x501 << 240)
///   withdrawals: entry = recipient | amount << 160 | 0x401 << 240
/// in the order of the batch.
contract RollupSettlement {
    uint256 public constant GWEI = 1 gwei;
    uint256 internal constant TAG_SHIFT = 240;
    uint256 internal constant TAG_WITHDRAWAL = 0x401;
    uint256 internal constant TAG_L1_DEPOSIT = 0x501;

    /// The verifier of the rollup's final proofs.
    IGroth16Verifier public immutable verifier;
    /// The state root every batch so far has led to.
    bytes32 public stateRoot;
    /// The id the next settled batch must carry.
    uint64 public nextBatchId;
    /// Entries of every deposit ever made, in order.
    uint256[] public depositEntries;
    /// How many queued deposits settled batches have consumed.
    uint256 public depositsConsumed;
    /// Wei credited to each L1 address by settled withdrawals, not yet paid.
    mapping(address => uint256) public withdrawable;

    /// One withdrawal of a batch, as the rollup's transaction carries it.
    struct Withdrawal {
        address recipient;
        uint64 amount;
    }

    event Deposited(uint256 indexed index, uint256 pubKeyX, uint256 pubKeyY, uint64 amount, uint256 entry);
    event BatchSettled(
        uint64 indexed batchId,
        bytes32 preStateRoot,
        bytes32 postStateRoot,
        bytes32 withdrawalRoot,
        uint64 withdrawalCount,
        uint64 depositCount,
        uint256 digest
    );
    event WithdrawalCredited(uint64 indexed batchId, address indexed recipient, uint64 amount);
    event Withdrawn(address indexed recipient, uint256 amountWei);

    error WrongBatchId(uint64 expected, uint64 got);
    error WrongPreStateRoot(bytes32 expected, bytes32 got);
    error BadCounts();
    error DepositsNotQueued(uint256 queued, uint64 needed);
    error DepositRootMismatch(bytes32 expected, bytes32 got);
    error WithdrawalCountMismatch(uint64 expected, uint256 got);
    error WithdrawalRootMismatch(bytes32 expected, bytes32 got);
    error BadDeposit();
    error NothingToWithdraw(address recipient);
    error PayoutFailed();

    constructor(IGroth16Verifier verifier_, bytes32 genesisStateRoot, uint64 firstBatchId) {
        verifier = verifier_;
        stateRoot = genesisStateRoot;
        nextBatchId = firstBatchId;
    }

    /// The deposit-root entry of a deposit (rollup tx.DepositQueueEntry).
    function depositEntry(uint256 pubKeyX, uint256 pubKeyY, uint64 amount) public pure returns (uint256) {
        return Poseidon2.compress(Poseidon2.compress(pubKeyX, pubKeyY), uint256(amount) | (TAG_L1_DEPOSIT << TAG_SHIFT));
    }

    /// The withdrawal-root entry of a withdrawal (rollup tx.WithdrawalEntry).
    function withdrawalEntry(address recipient, uint64 amount) public pure returns (uint256) {
        return uint256(uint160(recipient)) | (uint256(amount) << 160) | (TAG_WITHDRAWAL << TAG_SHIFT);
    }

    /// Queue a deposit of `amount` gwei (sent as msg.value) to the rollup
    /// account with BabyJubjub public key (pubKeyX, pubKeyY).
    function deposit(uint256 pubKeyX, uint256 pubKeyY, uint64 amount) external payable {
        if (
            amount == 0 || msg.value != uint256(amount) * GWEI || pubKeyX >= StatementDigest.R
                || pubKeyY >= StatementDigest.R
        ) {
            revert BadDeposit();
        }
        uint256 entry = depositEntry(pubKeyX, pubKeyY, amount);
        uint256 index = depositEntries.length;
        depositEntries.push(entry);
        emit Deposited(index, pubKeyX, pubKeyY, amount, entry);
    }

    /// Number of deposits queued and not yet consumed by a settled batch.
    function pendingDeposits() external view returns (uint256) {
        return depositEntries.length - depositsConsumed;
    }

    /// The accumulator of the `count` deposits that follow the consumed ones.
    function depositAccumulator(uint64 count) public view returns (bytes32) {
        uint256 start = depositsConsumed;
        uint256 end = start + count;
        if (end > depositEntries.length) {
            revert DepositsNotQueued(depositEntries.length - start, count);
        }
        uint256 acc = 0;
        for (uint256 i = start; i < end; i++) {
            acc = Poseidon2.compress(acc, depositEntries[i]);
        }
        return bytes32(acc);
    }

    /// The accumulator of a list of withdrawals.
    function withdrawalAccumulator(Withdrawal[] calldata ws) public pure returns (bytes32) {
        uint256 acc = 0;
        for (uint256 i = 0; i < ws.length; i++) {
            acc = Poseidon2.compress(acc, withdrawalEntry(ws[i].recipient, ws[i].amount));
        }
        return bytes32(acc);
    }

    /// The digest a batch proof's public input must be.
    function statementDigest(StatementDigest.Batch calldata s) external pure returns (uint256) {
        return StatementDigest.batchDigest(s);
    }

    /// Settle the next batch, given its withdrawals in order. Reverts with
    /// the reason when the statement does not continue the chain, the
    /// deposits or withdrawals do not match it, or the proof does not verify.
    function settle(StatementDigest.Batch calldata s, Withdrawal[] calldata withdrawals, bytes calldata proof)
        external
    {
        if (s.batchId != nextBatchId) revert WrongBatchId(nextBatchId, s.batchId);
        if (s.preStateRoot != stateRoot) revert WrongPreStateRoot(stateRoot, s.preStateRoot);
        if (uint256(s.txCount) != uint256(s.transferCount) + s.withdrawalCount + s.depositCount) revert BadCounts();
        bytes32 dacc = depositAccumulator(s.depositCount);
        if (dacc != s.depositRoot) revert DepositRootMismatch(dacc, s.depositRoot);
        if (withdrawals.length != s.withdrawalCount) revert WithdrawalCountMismatch(s.withdrawalCount, withdrawals.length);
        bytes32 wacc = withdrawalAccumulator(withdrawals);
        if (wacc != s.withdrawalRoot) revert WithdrawalRootMismatch(wacc, s.withdrawalRoot);

        uint256 digest = StatementDigest.batchDigest(s);
        verifier.verifyProof(proof, [digest]);

        stateRoot = s.postStateRoot;
        nextBatchId = s.batchId + 1;
        depositsConsumed += s.depositCount;
        for (uint256 i = 0; i < withdrawals.length; i++) {
            withdrawable[withdrawals[i].recipient] += uint256(withdrawals[i].amount) * GWEI;
            emit WithdrawalCredited(s.batchId, withdrawals[i].recipient, withdrawals[i].amount);
        }
        emit BatchSettled(
            s.batchId, s.preStateRoot, s.postStateRoot, s.withdrawalRoot, s.withdrawalCount, s.depositCount, digest
        );
    }

    /// Pay `recipient` everything settled withdrawals credited to it. Anyone
    /// may call it; the ether goes to `recipient`.
    function withdraw(address recipient) external {
        uint256 amount = withdrawable[recipient];
        if (amount == 0) revert NothingToWithdraw(recipient);
        withdrawable[recipient] = 0;
        emit Withdrawn(recipient, amount);
        (bool ok,) = recipient.call{value: amount}("");
        if (!ok) revert PayoutFailed();
    }
}
