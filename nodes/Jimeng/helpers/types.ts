import type { IDataObject } from 'n8n-workflow';

export type Operation = 'submit' | 'getTask';

export type OutputMode = 'image' | 'task';

/** What the user asked for, as it appears in the output's `size` field. */
export interface RequestedSize {
	choice: string;
	width?: number;
	height?: number;
	resolution?: string;
}

export interface WaitSettings {
	enabled: boolean;
	pollIntervalMs: number;
	timeoutMs: number;
}

export interface OutputSettings {
	download: boolean;
	binaryProperty: string;
	mode: OutputMode;
}

/** Everything one input item needs, read and validated before any request is sent. */
export interface ItemPlan {
	itemIndex: number;
	operation: Operation;
	reqKey: string;
	/** Submit body; undefined for Get Task. */
	submitBody?: IDataObject;
	taskId?: string;
	prompt?: string;
	size?: RequestedSize;
	reqJson: string;
	wait: WaitSettings;
	output: OutputSettings;
	maxRetries: number;
	requestTimeoutMs: number;
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

/** The API envelope every /jm answer uses. */
export interface JimengEnvelope {
	code?: number;
	data?: IDataObject | null;
	message?: string;
	request_id?: string;
	status?: number;
	time_elapsed?: string;
}
