// Package statetest is the conformance suite every state backend passes:
//
//	func TestConformance(t *testing.T) {
//		statetest.Conformance(t, func(t *testing.T) statetest.Opener {
//			store := newEmptyStore(t)
//			return func(t *testing.T) state.Manager { return open(t, store) }
//		})
//	}
package statetest
