package planner

import (
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/snowflake/inspect"
)

// liveTable returns the live table of o, or nil.
func liveTable(live *inspect.Database, name []string) *inspect.Table {
	if live == nil || !live.Exists || live.Name != name[0] {
		return nil
	}
	return live.Table(name[1], name[2])
}

// liveExists reports whether the object kind/name exists in Snowflake now.
func liveExists(live *inspect.Database, k plan.Kind, name []string) bool {
	if live == nil || !live.Exists || live.Name != name[0] {
		return false
	}
	if k == plan.KindDatabase {
		return true
	}
	s := live.Schema(name[1])
	if s == nil {
		return false
	}
	switch k {
	case plan.KindSchema:
		return true
	case plan.KindTable:
		return live.Table(name[1], name[2]) != nil
	case plan.KindView:
		for _, v := range s.Views {
			if v.Name == name[2] {
				return true
			}
		}
	case plan.KindSequence:
		for _, q := range s.Sequences {
			if q.Name == name[2] {
				return true
			}
		}
	case plan.KindStage:
		for _, st := range s.Stages {
			if st.Name == name[2] {
				return true
			}
		}
	case plan.KindFileFormat:
		for _, f := range s.FileFormats {
			if f.Name == name[2] {
				return true
			}
		}
	}
	return false
}
