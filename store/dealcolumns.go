package store

import "github.com/partnertiers/partnertiers/store/csvin"

// DefaultDealColumns are the columns of a Salesforce opportunity report,
// as written out in config.example.toml's [import.deals].
func DefaultDealColumns() DealColumns { return csvin.DefaultDealColumns() }
