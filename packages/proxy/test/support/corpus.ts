export { corpusDirectory } from '../../../../tools/corpus-directory.mjs';
