// Package contracts holds zkfleet's Solidity contracts (src/), their
// compiled ABI and bytecode (build/, produced by the pinned solcjs of
// package.json) and Go bindings generated from them by go-ethereum's abigen
// (bindings/, v2 bindings). The compiled files and the bindings are
// committed, so building the Go code needs no Solidity compiler; .ci/run
// regenerates them and fails if they differ.
package contracts

//go:generate go run ./internal/poseidon2gen -out src/Poseidon2.sol
//go:generate go run ./internal/build -src src -out build
//go:generate go tool abigen --v2 --pkg bindings --type RollupSettlement --abi build/RollupSettlement.abi --bin build/RollupSettlement.bin --out bindings/rollup_settlement.go
//go:generate go tool abigen --v2 --pkg bindings --type ProgramVerifier --abi build/ProgramVerifier.abi --bin build/ProgramVerifier.bin --out bindings/program_verifier.go
//go:generate go tool abigen --v2 --pkg bindings --type Groth16Verifier --abi build/IGroth16Verifier.abi --out bindings/groth16_verifier.go
