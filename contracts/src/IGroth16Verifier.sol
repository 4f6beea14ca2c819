// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title The Groth16/BN254 verifier of one final proof kind.
/// @notice Implemented by the contract gnark exports from a verifying key
/// whose circuit has exactly one public input (a statement digest, see
/// StatementDigest) and one BSB22 commitment. `verifyProof` returns nothing
/// and reverts (ProofInvalid, CommitmentInvalid, PublicInputNotInField, or a
/// length check) when the proof does not verify.
interface IGroth16Verifier {
    /// The errors gnark's verifier reverts with (declared here so that
    /// callers can decode them).
    error PublicInputNotInField();
    error ProofInvalid();
    error CommitmentInvalid();

    /// @param proof gnark's MarshalSolidity encoding: A, B, C, the commitment
    /// and its proof of knowledge (384 bytes).
    /// @param input the public input: the statement digest, reduced mod r.
    function verifyProof(bytes calldata proof, uint256[1] calldata input) external view;
}
