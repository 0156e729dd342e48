export { corpusDirectory as corpusDir } from '../../../tools/corpus-directory.mjs';
