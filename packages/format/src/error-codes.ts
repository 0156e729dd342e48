/** A format string (text or a `json_format` value) is not valid Envoy substitution syntax. */
export const ORION_ERR_FORMAT_PARSE = 'ORION_ERR_FORMAT_PARSE';
/** A `SubstitutionFormatString` configuration object has the wrong shape (e.g. no format, two formats, a bad value type). */
export const ORION_ERR_FORMAT_CONFIG = 'ORION_ERR_FORMAT_CONFIG';
/** `text_format_source.filename` could not be read by {@link LogFormatter.fromConfigAsync}. */
export const ORION_ERR_FORMAT_FILE_READ = 'ORION_ERR_FORMAT_FILE_READ';

/** Every code this package throws, in README order. */
export const FORMAT_ERROR_CODES = [ORION_ERR_FORMAT_PARSE, ORION_ERR_FORMAT_CONFIG, ORION_ERR_FORMAT_FILE_READ] as const;
