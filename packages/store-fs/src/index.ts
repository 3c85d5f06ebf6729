export { FsStore, type FsStoreOptions } from './store.js';
export { parseYaml, type ParsedYaml } from './yaml-schema.js';
export { readBlockYaml } from './yaml-fast-read.js';
export { emitDocument, inlineString, isPlainSafe } from './yaml-emit.js';
export { patchDocument, InvalidDocumentError } from './yaml-patch.js';
export { folderUuid, defaultFilepath } from './integration-document.js';
