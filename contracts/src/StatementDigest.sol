// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title The statements zkfleet's final proofs are about, and their digests.
/// @notice A final proof has one public input: the digest of its statement,
///
///     digest = uint256(keccak256(abi.encodePacked(TAG, fields...))) mod r
///
/// where r is the BN254 scalar field order and TAG an 8-byte per-kind domain
/// tag (short so that a program statement fits one keccak256 block, which
/// matters to the circuit that recomputes the digest).
/// A contract recomputes the digest from the statement fields it is given;
/// it never takes a digest from the caller. The Go twin is
/// settle.BatchStatement.Digest / settle.ProgramStatement.Digest, and a test
/// checks that both agree.
library StatementDigest {
    /// BN254 scalar field order.
    uint256 internal constant R = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001;

    /// Domain tag of rollup batch statements, version 1.
    bytes8 internal constant BATCH_TAG = "zkfbat01";
    /// Domain tag of program statements, version 1.
    bytes8 internal constant PROGRAM_TAG = "zkfprg01";

    /// The statement of a rollup batch proof: the batch moved the rollup
    /// from preStateRoot to postStateRoot by applying the transactions whose
    /// hash chain is batchHash, among them depositCount deposits whose
    /// accumulator is depositRoot and withdrawalCount withdrawals whose
    /// keccak256 Merkle root is withdrawalRoot.
    struct Batch {
        uint64 batchId;
        bytes32 preStateRoot;
        bytes32 postStateRoot;
        bytes32 batchHash;
        bytes32 withdrawalRoot;
        bytes32 depositRoot;
        uint32 txCount;
        uint32 depositCount;
        uint32 withdrawalCount;
    }

    /// The statement of a RISC-V program proof: the program programId, run
    /// on the input whose tape hash is inputHash, halted with exitCode after
    /// cycles steps, having written the output whose tape hash is outputHash.
    struct Program {
        bytes32 programId;
        bytes32 inputHash;
        bytes32 outputHash;
        uint32 exitCode;
        uint64 cycles;
    }

    /// Packed encoding (188 bytes): TAG(8) ‖ batchId(8) ‖ preStateRoot ‖
    /// postStateRoot ‖ batchHash ‖ withdrawalRoot ‖ depositRoot ‖ txCount(4)
    /// ‖ depositCount(4) ‖ withdrawalCount(4), integers big-endian.
    function batchDigest(Batch calldata s) internal pure returns (uint256) {
        bytes memory packed = abi.encodePacked(
            BATCH_TAG,
            s.batchId,
            s.preStateRoot,
            s.postStateRoot,
            s.batchHash,
            s.withdrawalRoot,
            s.depositRoot,
            s.txCount,
            s.depositCount,
            s.withdrawalCount
        );
        return uint256(keccak256(packed)) % R;
    }

    /// Packed encoding (116 bytes): TAG(8) ‖ programId ‖ inputHash ‖
    /// outputHash ‖ exitCode(4) ‖ cycles(8), integers big-endian.
    function programDigest(Program calldata s) internal pure returns (uint256) {
        bytes memory packed =
            abi.encodePacked(PROGRAM_TAG, s.programId, s.inputHash, s.outputHash, s.exitCode, s.cycles);
        return uint256(keccak256(packed)) % R;
    }
}
