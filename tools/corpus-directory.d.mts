/** The shared corpus of real configurations (`shared/corpus/orion-rust` beside the repository). */
export declare function corpusDirectory(): string;
