// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title The statements zkfleet's final proofs are about, and their digests.
/// @notice A final proof has one public input: the digest of its statement,
///
///     digest = uint256(sha256(abi.encodePacked(MAGIC, VERSION, fields...))) mod r
///
/// where r is the BN254 scalar field order, MAGIC a 4-byte tag per kind and
/// VERSION a uint16. The batch statement's encoding is the rollup's
/// (rollup/batch Statement.Encode, PublicInput). A contract recomputes the
/// digest from the statement fields it is given (sha256 is a precompile);
/// it never takes a digest from the caller. The Go twins are
/// settle.BatchStatement.Digest / settle.ProgramStatement.Digest, and a test
/// checks that both agree on the EVM.
library StatementDigest {
    /// BN254 scalar field order.
    uint256 internal constant R = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001;

    /// Rollup batch statements: "ZKRB", version 1.
    bytes4 internal constant BATCH_MAGIC = "ZKRB";
    uint16 internal constant BATCH_VERSION = 1;
    /// RISC-V program statements: "ZKRP", version 1.
    bytes4 internal constant PROGRAM_MAGIC = "ZKRP";
    uint16 internal constant PROGRAM_VERSION = 1;

    /// The statement of a rollup batch proof: the batch moved the rollup
    /// from preStateRoot to postStateRoot by applying txCount transactions
    /// (transferCount transfers, withdrawalCount withdrawals, depositCount
    /// deposits) whose hash chain is batchHash, with withdrawal and deposit
    /// accumulators withdrawalRoot and depositRoot. Roots are canonical
    /// big-endian BN254 scalars.
    struct Batch {
        uint64 batchId;
        bytes32 preStateRoot;
        bytes32 postStateRoot;
        bytes32 batchHash;
        bytes32 withdrawalRoot;
        bytes32 depositRoot;
        uint64 txCount;
        uint64 transferCount;
        uint64 withdrawalCount;
        uint64 depositCount;
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

    /// Encoding (206 bytes): "ZKRB" ‖ uint16(1) ‖ batchId(8) ‖ preStateRoot ‖
    /// postStateRoot ‖ batchHash ‖ withdrawalRoot ‖ depositRoot ‖ txCount(8)
    /// ‖ transferCount(8) ‖ withdrawalCount(8) ‖ depositCount(8), big-endian.
    function batchDigest(Batch calldata s) internal pure returns (uint256) {
        bytes memory packed = abi.encodePacked(
            BATCH_MAGIC,
            BATCH_VERSION,
            s.batchId,
            s.preStateRoot,
            s.postStateRoot,
            s.batchHash,
            s.withdrawalRoot,
            s.depositRoot,
            s.txCount,
            s.transferCount,
            s.withdrawalCount,
            s.depositCount
        );
        return uint256(sha256(packed)) % R;
    }

    /// Encoding (114 bytes): "ZKRP" ‖ uint16(1) ‖ programId ‖ inputHash ‖
    /// outputHash ‖ exitCode(4) ‖ cycles(8), big-endian.
    function programDigest(Program calldata s) internal pure returns (uint256) {
        bytes memory packed = abi.encodePacked(
            PROGRAM_MAGIC, PROGRAM_VERSION, s.programId, s.inputHash, s.outputHash, s.exitCode, s.cycles
        );
        return uint256(sha256(packed)) % R;
    }
}
