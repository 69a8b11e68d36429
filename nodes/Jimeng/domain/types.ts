/** What the user asked for, as it appears in the output's `size` field. */
export interface RequestedSize {
	choice: string;
	width?: number;
	height?: number;
	resolution?: string;
}

export type Phase = 'pending' | 'success' | 'failed';

/** A query answer reduced to what the node acts on. */
export interface TaskState {
	phase: Phase;
	status: string;
	imageUrls: string[];
	base64Images: string[];
	message?: string;
	requestId?: string;
}
