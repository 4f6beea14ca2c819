package solc_test

import (
	"context"
	"strings"
	"testing"

	"github.com/zkfleet/zkfleet/contracts/solc"
)

func compiler(t *testing.T) *solc.Compiler {
	t.Helper()
	c, err := solc.Find("")
	if err != nil {
		t.Skipf("solcjs not installed: %v", err)
	}
	return c
}

func TestCompile(t *testing.T) {
	c := compiler(t)
	ctx := context.Background()
	v, err := c.Version(ctx)
	if err != nil || !strings.HasPrefix(v, "0.8.30") {
		t.Fatalf("version %q, %v (package.json pins 0.8.30)", v, err)
	}
	arts, err := c.Compile(ctx, map[string]string{
		"A.sol": "// SPDX-License-Identifier: UNLICENSED\npragma solidity ^0.8.24;\nimport {B} from \"./B.sol\";\ncontract A is B { function f() external pure returns (uint256) { return 7; } }\n",
		"B.sol": "// SPDX-License-Identifier: UNLICENSED\npragma solidity ^0.8.24;\ncontract B {}\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2 || arts[0].Name != "A" || arts[1].Name != "B" || arts[0].Bin == "" || !strings.Contains(string(arts[0].ABI), `"f"`) {
		t.Fatalf("artifacts %+v", arts)
	}
	_, err = c.Compile(ctx, map[string]string{"C.sol": "pragma solidity ^0.8.24;\ncontract C { function g() { undefinedThing(); } }\n"})
	if err == nil || !strings.Contains(err.Error(), "C.sol") {
		t.Fatalf("broken source: %v", err)
	}
}

func TestFindMissing(t *testing.T) {
	if _, err := solc.Find(t.TempDir()); err == nil {
		t.Fatal("found solc.js in an empty folder")
	}
}
