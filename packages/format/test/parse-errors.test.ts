import { describe, expect, it } from 'vitest';
import { OrionError } from '@orion/error';
import { LogFormatter, ORION_ERR_FORMAT_PARSE } from '../src/index.js';
import { parseError } from './helpers.js';

// Every case below is rejected by Envoy's parser. Cases marked [ParserFailures] are the list in
// test/common/formatter/substitution_formatter_test.cc `TEST(SubstitutionFormatterTest, ParserFailures)`; the
// others come from the same file's EnvironmentFormatterTest, PathTest, CoalesceFormatterErrorCases,
// FilterStateError*Test and streamInfoFormatter (COMMON_DURATION) cases, or from the access-log documentation.
const CASES: ReadonlyArray<readonly [source: string, format: string, column: number, reason: RegExp]> = [
  ['ParserFailures', '{{%PROTOCOL%}}   ++ %REQ(FIRST?SECOND)% %RESP(FIRST?SECOND)', 41, /missing closing '%' of RESP/],
  ['ParserFailures', '%PROTOCOL(should_not_have_params)%', 10, /PROTOCOL does not take any parameters or length/],
  ['ParserFailures', '%PROTOCOL(should_not_have_params_or_length):12%', 10, /PROTOCOL does not take any parameters/],
  ['ParserFailures', '%PROTOCOL:12%', 10, /PROTOCOL does not take any parameters or length/],
  ['ParserFailures', '%REQ(FIRST?SECOND)T%', 19, /unexpected 'T' after the parameters of REQ/],
  ['ParserFailures', 'RESP(FIRST)%', 12, /unterminated '%'/],
  ['ParserFailures', '%REQ(valid)% %NOT_VALID%', 15, /unknown operator 'NOT_VALID'/],
  ['ParserFailures', '%REQ(FIRST?SECOND%', 5, /missing '\)' after the parameters of REQ/],
  ['ParserFailures', '%HOSTNAME%PROTOCOL%', 19, /unterminated '%'/],
  ['ParserFailures', '%protocol%', 2, /operator names are upper case: 'protocol' \(did you mean 'PROTOCOL'\?\)/],
  ['ParserFailures', '%REQ(TEST):%', 12, /expected a length \(digits\) after ':' in REQ, found '%'/],
  ['ParserFailures', '%REQ(TEST):3q4%', 13, /unexpected 'q' after the length of REQ/],
  ['ParserFailures', '%REQ(TEST):-3%', 12, /expected a length \(digits\) after ':' in REQ, found '-'/],
  ['ParserFailures', '%REQ(\n)%', 6, /parameters of REQ must not contain a newline/],
  ['ParserFailures', '%REQ(?\n)%', 7, /parameters of REQ must not contain a newline/],
  ['ParserFailures', '%REQ(\0)%', 6, /invalid character '\\0' in header name/],
  ['ParserFailures', '%REQ(?\0)%', 7, /invalid character '\\0' in header name/],
  ['ParserFailures', '%REQ(\r)%', 6, /invalid character '\\r' in header name/],
  ['ParserFailures', '%REQ(?\r)%', 7, /invalid character '\\r' in header name/],
  ['ParserFailures', '%RESP(TEST):%', 13, /expected a length \(digits\) after ':' in RESP/],
  ['ParserFailures', '%RESP(X?Y):%', 12, /expected a length \(digits\) after ':' in RESP/],
  ['ParserFailures', '%RESP(X?Y):343o24%', 15, /unexpected 'o' after the length of RESP/],
  ['ParserFailures', '%REQ(TEST):10', 1, /missing closing '%' of REQ/],
  ['ParserFailures', 'REQ(:TEST):10%', 14, /unterminated '%'/],
  ['ParserFailures', '%REQ(TEST:10%', 5, /missing '\)' after the parameters of REQ/],
  ['ParserFailures', '%REQ(', 5, /missing '\)' after the parameters of REQ/],
  ['ParserFailures', '%REQ(X?Y?Z)%', 9, /more than one alternative header in 'X\?Y\?Z'/],
  ['ParserFailures', '%TRAILER(TEST):%', 16, /expected a length/],
  ['ParserFailures', '%TRAILER(TEST):23u1%', 18, /unexpected 'u' after the length of TRAILER/],
  ['ParserFailures', '%TRAILER(X?Y?Z)%', 13, /more than one alternative header/],
  ['ParserFailures', '%TRAILER(:TEST):10', 1, /missing closing '%' of TRAILER/],
  ['ParserFailures', '%DYNAMIC_METADATA(TEST', 18, /missing '\)' after the parameters of DYNAMIC_METADATA/],
  ['ParserFailures', '%FILTER_STATE(TEST', 14, /missing '\)' after the parameters of FILTER_STATE/],
  ['ParserFailures', '%FILTER_STATE()%', 15, /Invalid filter state configuration, key cannot be empty/],
  ['ParserFailures', '%START_TIME(%85n)%', 13, /newline specifier/],
  ['ParserFailures', '%START_TIME(%#__88n)%', 13, /newline specifier/],
  ['ParserFailures', '%START_TIME(%En%)%', 13, /newline specifier/],
  ['ParserFailures', '%START_TIME(%4En%)%', 13, /newline specifier/],
  ['ParserFailures', '%START_TIME(%On%)%', 13, /newline specifier/],
  ['ParserFailures', '%START_TIME(%4On%)%', 13, /newline specifier/],
  ['ParserFailures', '%START_TIME(%Y %n)%', 16, /newline specifier/],
  ['EnvironmentFormatterTest', '%ENVIRONMENT()%', 13, /ENVIRONMENT requires parameters/],
  ['PathTest', '%PATH(A)%', 7, /Invalid PATH option: 'A', only 'WQ'\/'NQ' are allowed/],
  ['PathTest', '%PATH(NQ:B)%', 10, /Invalid PATH option: 'B', only 'ORIG'\/'PATH'\/'ORIG_OR_PATH' are allowed/],
  ['QueryParametersFormatter', '%QUERY_PARAMS(A)%', 15, /Invalid QUERY_PARAMS option: 'A', only 'ORIG'\/'DECODED' are allowed/],
  ['CoalesceFormatterErrorCases', '%COALESCE()%', 10, /COALESCE requires parameters/],
  ['CoalesceFormatterErrorCases', '%COALESCE(not json)%', 11, /COALESCE: failed to parse JSON configuration/],
  ['CoalesceFormatterErrorCases', '%COALESCE({"foo": "bar"})%', 11, /COALESCE: JSON configuration must contain 'operators' array/],
  ['CoalesceFormatterErrorCases', '%COALESCE({"operators": "PROTOCOL"})%', 11, /COALESCE: 'operators' must be an array/],
  ['CoalesceFormatterErrorCases', '%COALESCE({"operators": []})%', 11, /COALESCE: 'operators' array must not be empty/],
  ['CoalesceFormatterErrorCases', '%COALESCE({"operators": [123]})%', 11, /COALESCE: failed to parse operator at index 0/],
  ['CoalesceFormatterErrorCases', '%COALESCE({"operators": [{"param": "foo"}]})%', 11, /failed to parse operator at index 0: 'command' field is required/],
  ['CoalesceFormatterErrorCases', '%COALESCE({"operators": ["UNKNOWN_COMMAND"]})%', 11, /failed to parse operator at index 0: unknown operator 'UNKNOWN_COMMAND'/],
  ['CoalesceFormatterErrorCases', '%COALESCE({"operators": [{"command": "REQ", "param": 123}]})%', 11, /'param' field must be a string/],
  ['CoalesceFormatterErrorCases', '%COALESCE({"operators": [{"command": "PROTOCOL", "max_length": "10"}]})%', 11, /'max_length' field must be an integer/],
  ['CoalesceFormatterErrorCases', '%COALESCE({"operators": [{"command": "PROTOCOL", "max_length": 0}]})%', 11, /'max_length' must be positive/],
  ['FilterStateErrorSpeciferTest', '%FILTER_STATE(test_key:ABCDE)%', 24, /only support PLAIN\/TYPED\/FIELD/],
  ['FilterStateErrorSpeciferFieldTest', '%FILTER_STATE(test_key:PLAIN:test_field)%', 24, /FIELD should be used with the field name/],
  ['FilterStateErrorSpeciferFieldNoNameTest', '%FILTER_STATE(test_key:FIELD)%', 24, /FIELD should be used with the field name/],
  ['streamInfoFormatter COMMON_DURATION', '%COMMON_DURATION%', 2, /COMMON_DURATION requires parameters/],
  ['streamInfoFormatter COMMON_DURATION', '%COMMON_DURATION(a)%', 18, /Invalid common duration configuration: a\./],
  ['streamInfoFormatter COMMON_DURATION', '%COMMON_DURATION(a:b:c:d)%', 18, /Invalid common duration configuration: a:b:c:d\./],
  ['streamInfoFormatter COMMON_DURATION', '%COMMON_DURATION(a:b:zs)%', 18, /Invalid common duration precision: zs\./],
  ['docs: REQ(X?Y):Z needs X', '%REQ%', 2, /REQ requires parameters/],
  ['docs: REQ(X?Y):Z, lower-case checks', '%REQ(a b)%', 7, /invalid character ' ' in header name/],
  ['docs: DURATION takes no length', '%DURATION:3%', 10, /DURATION does not take any parameters or length/],
  ['docs: START_TIME takes no length', '%START_TIME(%s):3%', 16, /START_TIME does not allow length to be specified/],
  ['docs: GRPC_STATUS(X) options', '%GRPC_STATUS(CAMEL)%', 14, /GRPC_STATUS only supports CAMEL_STRING, SNAKE_STRING or NUMBER/],
  ['docs: *_WITHOUT_PORT(MASK_PREFIX_LEN) range', '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(129)%', 41, /invalid mask prefix length '129'/],
  ['docs: *_WITHOUT_PORT(MASK_PREFIX_LEN) digits', '%UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(x)%', 39, /invalid mask prefix length 'x'/],
  ['docs: METADATA(TYPE:...) types', '%METADATA(FOO:ns:key)%', 11, /METADATA type 'FOO' is not supported/],
  ['docs: METADATA(TYPE:NAMESPACE)', '%METADATA(ROUTE)%', 11, /METADATA requires TYPE:NAMESPACE/],
  ['docs: REQUESTED_SERVER_NAME(X:Y)', '%REQUESTED_SERVER_NAME(ANY)%', 24, /Invalid REQUESTED_SERVER_NAME option: 'ANY'/],
  ['docs: REQUESTED_SERVER_NAME(X:Y)', '%REQUESTED_SERVER_NAME(SNI_FIRST:XFF)%', 34, /only 'ORIG'\/'HOST'\/'ORIG_OR_HOST' are allowed/],
  ['docs: lone % at the end', 'done 100%', 9, /unterminated '%'/],
  ['docs: % followed by a non-name', 'a % b', 4, /expected an operator name after '%', found ' '/],
  ['docs: mixed-case operator', '%Protocol%', 2, /operator names are upper case: 'Protocol'/],
  ['docs: misspelled operator', '%RESPONSE_COD%', 2, /unknown operator 'RESPONSE_COD' \(did you mean 'RESPONSE_CODE'\?\)/],
  ['docs: CEL is not embedded', '%CEL(response.code)%', 2, /CEL needs a CEL engine/],
  ['docs: garbage after the name', '%PROTOCOL-X%', 10, /unexpected '-' after operator name PROTOCOL/],
];

describe('parse errors (OrionError ORION_ERR_FORMAT_PARSE with column and reason)', () => {
  it.each(CASES)('[%s] rejects %j', (_source, format, column, reason) => {
    const err = parseError(format);
    expect(err).toBeInstanceOf(OrionError);
    expect(err.code).toBe(ORION_ERR_FORMAT_PARSE);
    expect(err.details.reason).toMatch(reason);
    expect(err.details.column).toBe(column);
    expect(err.message).toBe(`${err.details.reason} at column ${column}`);
  });

  it('[ParserSuccesses] accepts %E4n%, %O4n% and a plain TLS operator', () => {
    for (const f of ['%START_TIME(%E4n%)%', '%START_TIME(%O4n%)%', '%DOWNSTREAM_PEER_FINGERPRINT_256%']) {
      expect(() => LogFormatter.text(f)).not.toThrow();
    }
  });

  it('[CommandSyntaxChecker] accepts empty parentheses on a command-only operator (an empty parameter is none)', () => {
    expect(LogFormatter.text('%PROTOCOL()%').render({ protocol: 'HTTP/2' })).toBe('HTTP/2');
  });

  it('reports the key path of a json_format value', () => {
    try {
      LogFormatter.json({ outer: { inner: '%NOPE%' } });
      expect.unreachable();
    } catch (err) {
      expect(OrionError.is(err, ORION_ERR_FORMAT_PARSE)).toBe(true);
      const e = err as OrionError;
      expect(e.details).toEqual({ column: 2, reason: "unknown operator 'NOPE'", path: ['outer', 'inner'] });
      expect(e.message).toBe("unknown operator 'NOPE' at column 2 in json_format.outer.inner");
    }
  });
});
