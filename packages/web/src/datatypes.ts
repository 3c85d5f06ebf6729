import type { Datatype } from '@beaker-integrations/model';

/**
 * Labels of the integration data types. The Record type makes the compiler
 * require one entry per type of the model. The list is local because
 * importing the model's DATATYPES would bundle its schemas and TypeBox.
 */
export const DATATYPE_LABELS: Record<Datatype, string> = {
  api: 'API',
  database: 'Database',
  dataset: 'Dataset',
};

export const DATATYPE_OPTIONS = Object.keys(DATATYPE_LABELS) as Datatype[];
