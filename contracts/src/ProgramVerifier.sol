// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {IGroth16Verifier} from "./IGroth16Verifier.sol";
import {StatementDigest} from "./StatementDigest.sol";

/// @title Verification of zkfleet RISC-V program proofs.
/// @notice Checks that a program (program id) run on an input (input tape
/// hash) halted with an exit code after a number of cycles and wrote an
/// output (output tape hash), by verifying the final proof against the
/// statement digest recomputed here. `verify` is a view for other
/// contracts; `record` also stores the statement's digest so later callers
/// can ask `verified(digest)` without a proof.
contract ProgramVerifier {
    /// The verifier of the zkVM's final proofs.
    IGroth16Verifier public immutable verifier;
    /// Digests of the statements recorded with a valid proof.
    mapping(uint256 => bool) public verified;

    event ProgramProofVerified(
        bytes32 indexed programId,
        bytes32 inputHash,
        bytes32 outputHash,
        uint32 exitCode,
        uint64 cycles,
        uint256 digest
    );

    constructor(IGroth16Verifier verifier_) {
        verifier = verifier_;
    }

    /// The digest a program proof's public input must be.
    function statementDigest(StatementDigest.Program calldata s) external pure returns (uint256) {
        return StatementDigest.programDigest(s);
    }

    /// Reverts unless `proof` proves the statement `s`; returns its digest.
    function verify(StatementDigest.Program calldata s, bytes calldata proof) public view returns (uint256 digest) {
        digest = StatementDigest.programDigest(s);
        verifier.verifyProof(proof, [digest]);
    }

    /// verify, then remember the statement and emit ProgramProofVerified.
    function record(StatementDigest.Program calldata s, bytes calldata proof) external returns (uint256 digest) {
        digest = verify(s, proof);
        verified[digest] = true;
        emit ProgramProofVerified(s.programId, s.inputHash, s.outputHash, s.exitCode, s.cycles, digest);
    }
}
