package store

// RefundRuleSQL exposes the rendered refund rule to the black-box tests.
var RefundRuleSQL = refundRuleSQL
