// Every HTTP call of the node: the Jimeng API (with the credential) and result images (without it).
export type { ApiAnswer, ApiCallOptions } from './request';
export { jimengApiRequest } from './request';
export type { DownloadOptions, DownloadOutcome } from './download';
export { downloadImage } from './download';
export type { HttpAnswer } from './classify';
