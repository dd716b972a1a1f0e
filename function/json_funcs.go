package function

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// JSON functions and operators. Two error conventions, by dialect:
//   - Trino's functions (json_extract, json_extract_scalar, json_array_length,
//     json_array_get, json_size) return NULL for text that is not valid JSON, for a path
//     that finds nothing and for a value of the wrong kind; their results are printed
//     compactly (no insignificant white space), as Trino prints JSON.
//   - PostgreSQL's operators (-> ->> #> #>>) and functions (json_extract_path[_text],
//     json_typeof) return NULL for a missing member or element but raise 22P02 for
//     invalid JSON, and return values with their original text.
//
// json_parse (Trino) raises 22P02 on invalid text, as a cast to json does, and returns
// the compact form; json_format returns a json value's compact text.

// bindJSONFn binds a JSON function. spec: 'j' a json argument (json, or text for the
// Trino functions when trinoText), 't' text, 'i' bigint.
func bindJSONFn(spec string, trinoText bool, ret types.T, k func(arity int) Kernel) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != len(spec) {
			return Sig{}, false
		}
		ts := make([]types.T, len(args))
		for i, a := range args {
			switch spec[i] {
			case 'j':
				switch {
				case a.Kind == types.JSON || a.Kind == types.Unknown:
					ts[i] = types.JSONT
				case trinoText && a.Kind == types.Varchar:
					ts[i] = types.VarcharT
				default:
					return Sig{}, false
				}
			case 't':
				if !isStringy(a) {
					return Sig{}, false
				}
				ts[i] = types.VarcharT
			case 'i':
				if !a.IsInteger() {
					return Sig{}, false
				}
				ts[i] = types.Int64T
			}
		}
		return Sig{Args: ts, Ret: ret, Kernel: k(len(args)), Strict: true}, true
	}
}

// pathCursor parses the path of each row, reusing the previous row's when equal.
type pathCursor struct {
	last  []byte
	steps []jsonStep
	ok    bool
}

func (c *pathCursor) get(p []byte) ([]jsonStep, error) {
	if c.ok && bytes.Equal(p, c.last) {
		return c.steps, nil
	}
	steps, err := parseJSONPath(string(p))
	if err != nil {
		return nil, err
	}
	c.steps, c.ok, c.last = steps, true, append(c.last[:0], p...)
	return steps, nil
}

// jsonPathKernel is json_extract (scalar false) and json_extract_scalar (scalar true).
func jsonPathKernel(scalar bool) func(int) Kernel {
	return func(int) Kernel {
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			docs, paths := viewBytes(args[0]), viewBytes(args[1])
			var pc pathCursor
			return textRowsNull(ctx, args, n, 0, func(dst []byte, i int) ([]byte, bool, error) {
				steps, err := pc.get(paths.at(i))
				if err != nil {
					return nil, false, err
				}
				doc := docs.at(i)
				if !json.Valid(doc) {
					return nil, true, nil
				}
				s, e, ok := jsonFollow(doc, steps)
				if !ok {
					return nil, true, nil
				}
				if scalar {
					out, ok := jsonScalarText(dst, doc[s:e])
					return out, !ok, nil
				}
				return appendJSONCompact(dst, doc[s:e]), false, nil
			})
		}
	}
}

// jsonParseKernel is json_parse(text) → json (compact), 22P02 on invalid text.
func jsonParseKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s := viewBytes(args[0])
		return textRows(ctx, args, n, dataLen(args), func(dst []byte, i int) ([]byte, error) {
			v := s.at(i)
			if !json.Valid(v) {
				return nil, errSyntax(types.JSONT, string(v))
			}
			return appendJSONCompact(dst, v), nil
		})
	}
}

// jsonFormatKernel is json_format(json) → text (compact).
func jsonFormatKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		s := viewBytes(args[0])
		return textRows(ctx, args, n, dataLen(args), func(dst []byte, i int) ([]byte, error) {
			return appendJSONCompact(dst, s.at(i)), nil
		})
	}
}

// int64RowsNull builds a bigint result from f, which may report NULL.
func int64RowsNull(ctx *Context, args []arrow.Array, n int, f func(i int) (int64, bool, error)) (arrow.Array, error) {
	mem := ctx.mem()
	validity, _ := andValidity(mem, args, n)
	defer releaseBuf(validity)
	data, out := newFixed[int64](mem, n)
	seen := make([]bool, n)
	for i := 0; i < n; i++ {
		if !validAt(validity, i) {
			continue
		}
		v, null, err := f(i)
		if err != nil {
			data.Release()
			return nil, err
		}
		out[i], seen[i] = v, !null
	}
	v, nulls := validityFromSeen(mem, seen, n)
	return makeArray(arrow.PrimitiveTypes.Int64, n, v, data, nulls), nil
}

// jsonArrayLengthKernel is json_array_length(json) → bigint (NULL if not an array).
func jsonArrayLengthKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		docs := viewBytes(args[0])
		return int64RowsNull(ctx, args, n, func(i int) (int64, bool, error) {
			doc := docs.at(i)
			if !json.Valid(doc) {
				return 0, true, nil
			}
			k := int64(0)
			ok := jsonElements(doc, jsonWS(doc, 0), func(int, int) bool { k++; return true })
			return k, !ok, nil
		})
	}
}

// jsonSizeKernel is json_size(json, path) → bigint: the number of members or elements
// of the value at path, 0 for a scalar, NULL when the path finds nothing.
func jsonSizeKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		docs, paths := viewBytes(args[0]), viewBytes(args[1])
		var pc pathCursor
		return int64RowsNull(ctx, args, n, func(i int) (int64, bool, error) {
			steps, err := pc.get(paths.at(i))
			if err != nil {
				return 0, false, err
			}
			doc := docs.at(i)
			if !json.Valid(doc) {
				return 0, true, nil
			}
			s, _, ok := jsonFollow(doc, steps)
			if !ok {
				return 0, true, nil
			}
			k := int64(0)
			switch doc[s] {
			case '[':
				jsonElements(doc, s, func(int, int) bool { k++; return true })
			case '{':
				for j := jsonWS(doc, s+1); j < len(doc) && doc[j] == '"'; {
					ke := jsonStringEnd(doc, j)
					vs := jsonWS(doc, jsonWS(doc, ke)+1)
					j = jsonWS(doc, jsonValueEnd(doc, vs))
					if j < len(doc) && doc[j] == ',' {
						j = jsonWS(doc, j+1)
					}
					k++
				}
			}
			return k, false, nil
		})
	}
}

// jsonArrayGetKernel is json_array_get(json, index) → json; a negative index counts from
// the end; NULL out of range.
func jsonArrayGetKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		docs := viewBytes(args[0])
		idx := fixedValues[int64](args[1])
		return textRowsNull(ctx, args, n, 0, func(dst []byte, i int) ([]byte, bool, error) {
			doc := docs.at(i)
			if !json.Valid(doc) || idx[i] != int64(int(idx[i])) {
				return nil, true, nil
			}
			s, e, ok := jsonElement(doc, jsonWS(doc, 0), int(idx[i]))
			if !ok {
				return nil, true, nil
			}
			return appendJSONCompact(dst, doc[s:e]), false, nil
		})
	}
}

// checkPGJSON raises PostgreSQL's error for invalid json input.
func checkPGJSON(doc []byte) error {
	if !json.Valid(doc) {
		return errSyntax(types.JSONT, string(doc))
	}
	return nil
}

// pgJSONStep looks up one PostgreSQL path element: a key of an object, or (for an array)
// an element by a number given as text or integer.
func pgJSONStep(doc []byte, s int, key []byte) (int, int, bool) {
	if s < len(doc) && doc[s] == '[' {
		k, err := strconv.Atoi(string(bytes.TrimSpace(key)))
		if err != nil {
			return 0, 0, false
		}
		return jsonElement(doc, s, k)
	}
	return jsonMember(doc, s, string(key))
}

// pgJSONResult appends the result of -> (asText false) or ->> (asText true) for the value
// doc[s:e]; it reports NULL for a JSON null under ->>.
func pgJSONResult(dst, v []byte, asText bool) ([]byte, bool) {
	if !asText {
		return append(dst, v...), false
	}
	if len(v) > 0 && (v[0] == '{' || v[0] == '[') {
		return append(dst, v...), false
	}
	out, ok := jsonScalarText(dst, v)
	return out, !ok
}

// arrowKernel is json -> text|int (asText false) and ->> (asText true).
func arrowKernel(byIndex, asText bool) func(int) Kernel {
	return func(int) Kernel {
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			docs := viewBytes(args[0])
			var keys byteView
			var idx []int64
			if byIndex {
				idx = fixedValues[int64](args[1])
			} else {
				keys = viewBytes(args[1])
			}
			return textRowsNull(ctx, args, n, 0, func(dst []byte, i int) ([]byte, bool, error) {
				doc := docs.at(i)
				if err := checkPGJSON(doc); err != nil {
					return nil, false, err
				}
				s0 := jsonWS(doc, 0)
				var s, e int
				var ok bool
				if byIndex {
					if idx[i] == int64(int(idx[i])) {
						s, e, ok = jsonElement(doc, s0, int(idx[i]))
					}
				} else {
					s, e, ok = jsonMember(doc, s0, string(keys.at(i)))
				}
				if !ok {
					return nil, true, nil
				}
				out, null := pgJSONResult(dst, doc[s:e], asText)
				return out, null, nil
			})
		}
	}
}

// pathListKernel is #> and #>> (path as text[]) and json_extract_path[_text] (path as
// variadic text arguments).
func pathListKernel(asList, asText bool) func(int) Kernel {
	return func(arity int) Kernel {
		return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			docs := viewBytes(args[0])
			var elems func(i int, f func(key []byte, null bool) bool) bool
			if asList {
				l, ok := args[1].(*array.List)
				if !ok {
					return nil, sqlerr.New(sqlerr.InternalError, "json path is not a list")
				}
				vals := l.ListValues()
				strs := viewBytes(vals)
				elems = func(i int, f func([]byte, bool) bool) bool {
					a, b := l.ValueOffsets(i)
					for j := a; j < b; j++ {
						if !f(strs.at(int(j)), vals.IsNull(int(j))) {
							return false
						}
					}
					return true
				}
			} else {
				views := make([]byteView, arity-1)
				for k := range views {
					views[k] = viewBytes(args[k+1])
				}
				elems = func(i int, f func([]byte, bool) bool) bool {
					for k, v := range views {
						if !f(v.at(i), args[k+1].IsNull(i)) {
							return false
						}
					}
					return true
				}
			}
			// The variadic form is not strict in its path arguments: a NULL one gives NULL.
			strictArgs := args
			if !asList {
				strictArgs = args[:1]
			}
			return textRowsNull(ctx, strictArgs, n, 0, func(dst []byte, i int) ([]byte, bool, error) {
				doc := docs.at(i)
				if err := checkPGJSON(doc); err != nil {
					return nil, false, err
				}
				s := jsonWS(doc, 0)
				e := jsonValueEnd(doc, s)
				found := elems(i, func(key []byte, null bool) bool {
					var ok bool
					if !null {
						s, e, ok = pgJSONStep(doc, s, key)
					}
					return ok
				})
				if !found {
					return nil, true, nil
				}
				out, null := pgJSONResult(dst, doc[s:e], asText)
				return out, null, nil
			})
		}
	}
}

// bindJSONPathOp binds #> and #>> (json, text[]).
func bindJSONPathOp(asText bool) Binder {
	ret := types.JSONT
	if asText {
		ret = types.VarcharT
	}
	return func(args []types.T) (Sig, bool) {
		if len(args) != 2 || !jsonOperand(args[0]) {
			return Sig{}, false
		}
		if args[1].Kind != types.Array && args[1].Kind != types.Unknown {
			return Sig{}, false
		}
		if args[1].Kind == types.Array && (args[1].Elem == nil || !isStringy(*args[1].Elem)) {
			return Sig{}, false
		}
		return Sig{Args: []types.T{types.JSONT, textArrayT}, Ret: ret, Kernel: pathListKernel(true, asText)(2), Strict: true}, true
	}
}

// jsonOperand reports whether t can be the left operand of a JSON operator: json, an
// untyped literal, or text holding JSON (Athena tables often keep JSON in string columns),
// which is cast to json and so must be valid JSON (22P02 otherwise, as for the operators).
func jsonOperand(t types.T) bool {
	return t.Kind == types.JSON || t.Kind == types.Unknown || t.Kind == types.Varchar && !t.IsReg()
}

// bindJSONArrow binds -> and ->> with a text key or an integer index.
func bindJSONArrow(asText bool) Binder {
	ret := types.JSONT
	if asText {
		ret = types.VarcharT
	}
	return func(args []types.T) (Sig, bool) {
		if len(args) != 2 || !jsonOperand(args[0]) {
			return Sig{}, false
		}
		switch {
		case args[1].IsInteger():
			return Sig{Args: []types.T{types.JSONT, types.Int64T}, Ret: ret, Kernel: arrowKernel(true, asText)(2), Strict: true}, true
		case isStringy(args[1]):
			return Sig{Args: []types.T{types.JSONT, types.VarcharT}, Ret: ret, Kernel: arrowKernel(false, asText)(2), Strict: true}, true
		}
		return Sig{}, false
	}
}

// bindJSONExtractPath binds json_extract_path[_text](json, VARIADIC text).
func bindJSONExtractPath(asText bool) Binder {
	ret := types.JSONT
	if asText {
		ret = types.VarcharT
	}
	return func(args []types.T) (Sig, bool) {
		if len(args) < 2 || (args[0].Kind != types.JSON && args[0].Kind != types.Unknown) {
			return Sig{}, false
		}
		ts := []types.T{types.JSONT}
		for _, a := range args[1:] {
			if !isStringy(a) {
				return Sig{}, false
			}
			ts = append(ts, types.VarcharT)
		}
		return Sig{Args: ts, Ret: ret, Kernel: pathListKernel(false, asText)(len(args))}, true
	}
}

// jsonTypeofKernel is json_typeof(json) → text.
func jsonTypeofKernel(int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		docs := viewBytes(args[0])
		return textRows(ctx, args, n, 8*n, func(dst []byte, i int) ([]byte, error) {
			doc := docs.at(i)
			if err := checkPGJSON(doc); err != nil {
				return nil, err
			}
			return append(dst, jsonTypeOf(doc[jsonWS(doc, 0):])...), nil
		})
	}
}
