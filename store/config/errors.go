package config

import (
	"fmt"
	"strconv"
)

// Error is a problem at one place in a config file. Every error Parse and
// Load return for the file's content is an *Error:
//
//	config.toml:42: tiers[2].criteria.all[0].metric: metric "pipelin" is not defined (metrics: sourced_pipeline, ...)
type Error struct {
	File string // the name given to Parse, or the path given to Load
	Line int    // from 1
	// Key is the path to the key at fault as people read it,
	// "tiers[2].criteria.all[0].metric", indices from 0. Empty for syntax
	// errors.
	Key string
	Msg string
}

func (e *Error) Error() string {
	s := e.File + ":" + strconv.Itoa(e.Line) + ": "
	if e.Key != "" {
		s += e.Key + ": "
	}
	return s + e.Msg
}

// errorf makes an Error at the line of key p (or of its nearest written
// ancestor).
func (d *doc) errorf(p keyPath, format string, args ...any) *Error {
	return &Error{File: d.name, Line: d.lines.line(p), Key: p.String(), Msg: fmt.Sprintf(format, args...)}
}
