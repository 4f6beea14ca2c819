package settle_test

import "github.com/zkfleet/zkfleet/contracts/bindings"

func bindingsABI() string { return bindings.RollupSettlementMetaData.ABI }
