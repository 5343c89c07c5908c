module github.com/partnertiers/partnertiers

go 1.25.0

require github.com/sahilm/fuzzy v0.1.3
