package csvin

import (
	"reflect"
	"testing"

	"github.com/partnertiers/partnertiers/model"
)

func TestParseProductionIn(t *testing.T) {
	q2 := model.MustPeriod("2026-Q2")
	type row struct {
		partner, period string
	}
	tests := []struct {
		name    string
		data    string
		rows    []row
		bad     []string
		outside int
	}{
		{"no period column", "partner,certified_reps\nacme,4\nglobex,\n",
			[]row{{"acme", "2026-Q2"}, {"globex", "2026-Q2"}}, nil, 0},
		{"other periods are left unread", "partner,period,certified_reps\nacme,2026-Q1,many\nacme,2026-q2,4\nglobex,2025-Q2,1\n",
			[]row{{"acme", "2026-Q2"}}, nil, 2},
		{"a bad period is still a bad row", "partner,period,certified_reps\nacme,someday,4\nglobex,,1\n",
			nil, []string{
				`p.csv:2: period: "someday" is not a period: write a quarter like 2026-Q3 or a half like 2026-H2`,
				`p.csv:3: period: required: which period the row is for`,
			}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, err := ParseProductionIn("p.csv", []byte(tt.data), testProgram(), DefaultProductionColumns(), q2)
			if err != nil {
				t.Fatal(err)
			}
			var rows []row
			for _, r := range pr.Rows {
				rows = append(rows, row{r.Partner, r.Period.String()})
			}
			var bad []string
			for _, b := range pr.Bad {
				bad = append(bad, b.Error())
			}
			if !reflect.DeepEqual(rows, tt.rows) || !reflect.DeepEqual(bad, tt.bad) || pr.Outside != tt.outside {
				t.Errorf("rows %v, bad %q, outside %d\nwant %v, %q, %d", rows, bad, pr.Outside, tt.rows, tt.bad, tt.outside)
			}
		})
	}
	// Without a period, the period column is still required.
	if _, err := ParseProduction("p.csv", []byte("partner,certified_reps\nacme,4\n"), testProgram(), DefaultProductionColumns()); err == nil {
		t.Error("a file without a period column was read without a period")
	}
}
