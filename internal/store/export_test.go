package store

// RefundRuleSQL exposes the rendered refund rule to the black-box tests.
var RefundRuleSQL = refundRuleSQL

// ModeScopedTables lists the tables every read, update and delete is limited to the context's mode in.
func ModeScopedTables() []string {
	out := make([]string, len(modeScopedRows))
	for i, r := range modeScopedRows {
		out[i] = r.TableName()
	}
	return out
}
