// Every HTTP call of the node: the Jimeng API and upload links (with the credential), result images
// and uploaded bytes (without it).
export type { ApiAnswer, ApiCallOptions, CapacityPolicy } from './request';
export { jimengApiRequest } from './request';
export type { DownloadOptions, DownloadOutcome } from './download';
export { downloadImage } from './download';
export type { HttpAnswer } from './verdict';
export type { UploadCallOptions } from './upload';
export { putUpload, requestUploadLink } from './upload';
export type { GatewayRead, ReadCallOptions, ReadResult } from './read';
export { gatewayRead } from './read';
