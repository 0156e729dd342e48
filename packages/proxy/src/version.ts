/** The version `orion --version` prints (the package version). */
export const ORION_VERSION = '0.1.0';
