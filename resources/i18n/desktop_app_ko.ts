<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
  <context>
    <name>desktop_app</name>
    <message>
      <source>Serve the &amp;OpenAI API</source>
      <translation>OpenAI API로 제공(&amp;O)</translation>
    </message>
    <message>
      <source>Starting the API at {address} (loading the model)…</source>
      <translation>{address}에서 API를 시작하는 중 (모델 불러오는 중)…</translation>
    </message>
    <message>
      <source>The API at {address} is stopped</source>
      <translation>{address}의 API를 멈췄습니다</translation>
    </message>
    <message>
      <source>The API answers at {address} (this machine only)</source>
      <translation>API가 {address}에서 응답합니다 (이 컴퓨터에서만)</translation>
    </message>
    <message>
      <source>The API stopped: {reason}</source>
      <translation>API가 멈췄습니다: {reason}</translation>
    </message>
    <message>
      <source>exit code {code}</source>
      <translation>종료 코드 {code}</translation>
    </message>
    <message>
      <source>High relevance</source>
      <translation>관련성 높음</translation>
    </message>
    <message>
      <source>Medium relevance</source>
      <translation>관련성 보통</translation>
    </message>
    <message>
      <source>Low relevance</source>
      <translation>관련성 낮음</translation>
    </message>
    <message>
      <source>, p. {page}</source>
      <translation>, {page}쪽</translation>
    </message>
    <message>
      <source>, slide {page}</source>
      <translation>, {page}번 슬라이드</translation>
    </message>
    <message>
      <source>, sheet {page}</source>
      <translation>, {page}번째 시트</translation>
    </message>
    <message>
      <source>, chapter {page}</source>
      <translation>, {page}장</translation>
    </message>
    <message>
      <source>Drop documents on the window, then ask a question about them.</source>
      <translation>문서를 창에 끌어다 놓은 뒤 그 문서에 대해 질문하세요.</translation>
    </message>
    <message>
      <source>You</source>
      <translation>나</translation>
    </message>
    <message>
      <source>(writing…)</source>
      <translation>(작성 중…)</translation>
    </message>
    <message>
      <source>Assistant</source>
      <translation>어시스턴트</translation>
    </message>
    <message>
      <source>The model's draft:</source>
      <translation>모델의 초안:</translation>
    </message>
    <message>
      <source>Withheld draft:</source>
      <translation>보류된 초안:</translation>
    </message>
    <message>
      <source>fused score {score}; vector search rank {vector}, keyword search rank {keyword}</source>
      <translation>통합 점수 {score}; 벡터 검색 순위 {vector}, 키워드 검색 순위 {keyword}</translation>
    </message>
    <message>
      <source>{count} citation(s) placed by the app where the sources hold the sentence</source>
      <translation>출처에 해당 문장이 있는 곳에 앱이 인용 {count}개를 달았습니다</translation>
    </message>
    <message>
      <source>Also searched as: {question}</source>
      <translation>다음으로도 검색함: {question}</translation>
    </message>
    <message>
      <source>Ask without documents</source>
      <translation>문서 없이 묻기</translation>
    </message>
    <message>
      <source>Cited, but this source does not hold what the answer says here.</source>
      <translation>인용되었지만 이 출처에는 답변의 해당 내용이 없습니다.</translation>
    </message>
    <message>
      <source>Compare: RAG and LoRA</source>
      <translation>비교: RAG와 LoRA</translation>
    </message>
    <message>
      <source>no adapter fits the loaded model</source>
      <translation>불러온 모델에 맞는 어댑터가 없음</translation>
    </message>
    <message>
      <source>{tokens} tokens · {speed} tok/s · first token {ttft} s</source>
      <translation>토큰 {tokens}개 · 초당 {speed}토큰 · 첫 토큰 {ttft}초</translation>
    </message>
    <message>
      <source>Question:</source>
      <translation>질문:</translation>
    </message>
    <message>
      <source>Adapter:</source>
      <translation>어댑터:</translation>
    </message>
    <message>
      <source>waiting…</source>
      <translation>대기 중…</translation>
    </message>
    <message>
      <source>no adapter</source>
      <translation>어댑터 없음</translation>
    </message>
    <message>
      <source>(no answer)</source>
      <translation>(답변 없음)</translation>
    </message>
    <message>
      <source>Sources</source>
      <translation>출처</translation>
    </message>
    <message>
      <source>When</source>
      <translation>날짜</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>종류</translation>
    </message>
    <message>
      <source>Data</source>
      <translation>데이터</translation>
    </message>
    <message>
      <source>Model / adapters</source>
      <translation>모델 / 어댑터</translation>
    </message>
    <message>
      <source>Embedder</source>
      <translation>임베딩 모델</translation>
    </message>
    <message>
      <source>Evaluation</source>
      <translation>평가</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>취소</translation>
    </message>
    <message>
      <source>Run #{id} ({kind}): {metric}</source>
      <translation>실행 #{id} ({kind}): {metric}</translation>
    </message>
    <message>
      <source>{metric} over {kind} runs</source>
      <translation>{kind} 실행별 {metric}</translation>
    </message>
    <message>
      <source>Running {kind}…</source>
      <translation>{kind} 실행 중…</translation>
    </message>
    <message>
      <source>Saved run #{id}</source>
      <translation>실행 #{id} 저장됨</translation>
    </message>
    <message>
      <source>Retrieval: questions file…</source>
      <translation>검색: 질문 파일…</translation>
    </message>
    <message>
      <source>Retrieval: BEIR folder…</source>
      <translation>검색: BEIR 폴더…</translation>
    </message>
    <message>
      <source>Answers: questions file…</source>
      <translation>답변: 질문 파일…</translation>
    </message>
    <message>
      <source>Answers end to end: QA folder…</source>
      <translation>종단 간 답변: QA 폴더…</translation>
    </message>
    <message>
      <source>Grounding (adapter vs base)</source>
      <translation>근거 평가 (어댑터 대 기본)</translation>
    </message>
    <message>
      <source>Metric:</source>
      <translation>지표:</translation>
    </message>
    <message>
      <source>Questions file</source>
      <translation>질문 파일</translation>
    </message>
    <message>
      <source>BEIR folder</source>
      <translation>BEIR 폴더</translation>
    </message>
    <message>
      <source>All files</source>
      <translation>모든 파일</translation>
    </message>
    <message>
      <source>QA folder (docs/ and questions.jsonl)</source>
      <translation>QA 폴더 (docs/와 questions.jsonl)</translation>
    </message>
    <message>
      <source>JSON lines</source>
      <translation>JSON Lines</translation>
    </message>
    <message>
      <source>Export conversation</source>
      <translation>대화 내보내기</translation>
    </message>
    <message>
      <source>Exported to {path}</source>
      <translation>{path}(으)로 내보냈습니다</translation>
    </message>
    <message>
      <source>Nothing to export: open or start a conversation first.</source>
      <translation>내보낼 대화가 없습니다. 먼저 대화를 열거나 시작하세요.</translation>
    </message>
    <message>
      <source>JSON (*.json)</source>
      <translation>JSON (*.json)</translation>
    </message>
    <message>
      <source>Markdown (*.md)</source>
      <translation>마크다운 (*.md)</translation>
    </message>
    <message>
      <source>Export failed</source>
      <translation>내보내기 실패</translation>
    </message>
    <message>
      <source>{folder}: {result}</source>
      <translation>{folder}: {result}</translation>
    </message>
    <message>
      <source>Details are in {file}.</source>
      <translation>자세한 내용은 {file}에 있습니다.</translation>
    </message>
    <message>
      <source>Details were printed to the console.</source>
      <translation>자세한 내용은 콘솔에 출력되었습니다.</translation>
    </message>
    <message>
      <source>Unexpected error</source>
      <translation>예기치 않은 오류</translation>
    </message>
    <message>
      <source>Cannot start</source>
      <translation>시작할 수 없음</translation>
    </message>
    <message>
      <source>Library file unusable</source>
      <translation>라이브러리 파일을 쓸 수 없음</translation>
    </message>
    <message>
      <source>Library file set aside</source>
      <translation>라이브러리 파일을 따로 보관함</translation>
    </message>
    <message>
      <source>The old library file is kept as {kept}. Import your documents again to rebuild the library.</source>
      <translation>이전 라이브러리 파일은 {kept}(으)로 보관되어 있습니다. 문서를 다시 가져오면 라이브러리가 새로 만들어집니다.</translation>
    </message>
    <message>
      <source>Set it aside and start with an empty library? The old file is kept next to it, renamed; nothing is deleted.</source>
      <translation>이 파일을 따로 보관하고 빈 라이브러리로 시작할까요? 이전 파일은 이름만 바뀌어 같은 곳에 남고, 아무것도 지워지지 않습니다.</translation>
    </message>
    <message>
      <source>Desktop Assistant — local documents &amp; LoRA</source>
      <translation>데스크톱 어시스턴트 — 내 문서와 LoRA</translation>
    </message>
    <message>
      <source>C&amp;hats</source>
      <translation>대화(&amp;H)</translation>
    </message>
    <message>
      <source>&amp;Library</source>
      <translation>라이브러리(&amp;L)</translation>
    </message>
    <message>
      <source>Not saved</source>
      <translation>저장되지 않음</translation>
    </message>
    <message>
      <source>Model not loaded</source>
      <translation>모델을 불러오지 못함</translation>
    </message>
    <message>
      <source>the previous model stays loaded</source>
      <translation>이전 모델을 계속 사용합니다</translation>
    </message>
    <message>
      <source>no model loaded</source>
      <translation>불러온 모델 없음</translation>
    </message>
    <message>
      <source>Model not loaded ({state}): {message}</source>
      <translation>모델을 불러오지 못함 ({state}): {message}</translation>
    </message>
    <message>
      <source>Adapter refused</source>
      <translation>어댑터 거부됨</translation>
    </message>
    <message>
      <source>Summarize {name}</source>
      <translation>{name} 요약</translation>
    </message>
    <message>
      <source>Answer not saved</source>
      <translation>답변이 저장되지 않음</translation>
    </message>
    <message>
      <source>No answer</source>
      <translation>답변 없음</translation>
    </message>
    <message>
      <source>Import documents</source>
      <translation>문서 가져오기</translation>
    </message>
    <message>
      <source>Import a folder</source>
      <translation>폴더 가져오기</translation>
    </message>
    <message>
      <source>Import failed</source>
      <translation>가져오기 실패</translation>
    </message>
    <message>
      <source>Settings file set aside</source>
      <translation>설정 파일을 따로 보관함</translation>
    </message>
    <message>
      <source>Nothing to compare</source>
      <translation>비교할 내용 없음</translation>
    </message>
    <message>
      <source>Type a question first.</source>
      <translation>먼저 질문을 입력하세요.</translation>
    </message>
    <message>
      <source>Source missing</source>
      <translation>출처 파일 없음</translation>
    </message>
    <message>
      <source>{path} no longer exists.</source>
      <translation>{path} 파일이 더 이상 없습니다.</translation>
    </message>
    <message>
      <source>Documents</source>
      <translation>문서</translation>
    </message>
    <message>
      <source>Some files were not imported</source>
      <translation>가져오지 못한 파일이 있습니다</translation>
    </message>
    <message>
      <source>Settings not saved</source>
      <translation>설정이 저장되지 않음</translation>
    </message>
    <message>
      <source>search {search} s · reading {prompt} s ({tokens} tokens, {cached} cached) · writing {writing} s</source>
      <translation>검색 {search}초 · 읽기 {prompt}초 (토큰 {tokens}개, 캐시 {cached}개) · 쓰기 {writing}초</translation>
    </message>
    <message>
      <source>Conversation</source>
      <translation>대화</translation>
    </message>
    <message>
      <source>Question</source>
      <translation>질문</translation>
    </message>
    <message>
      <source>Ask about your documents… (Enter sends, Shift+Enter for a new line)</source>
      <translation>문서에 대해 물어보세요… (Enter로 보내기, Shift+Enter로 줄바꿈)</translation>
    </message>
    <message>
      <source>&amp;Use documents</source>
      <translation>문서 사용(&amp;U)</translation>
    </message>
    <message>
      <source>Send</source>
      <translation>보내기</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>중지</translation>
    </message>
    <message>
      <source>Re&amp;generate</source>
      <translation>다시 생성(&amp;G)</translation>
    </message>
    <message>
      <source>Cop&amp;y</source>
      <translation>복사(&amp;Y)</translation>
    </message>
    <message>
      <source>, citing {cited} of {sources} sources</source>
      <translation>, 출처 {sources}개 중 {cited}개 인용</translation>
    </message>
    <message>
      <source>; {count} citation(s) not supported by their source</source>
      <translation>; 출처가 뒷받침하지 않는 인용 {count}개</translation>
    </message>
    <message>
      <source>No answer: {message}</source>
      <translation>답변 없음: {message}</translation>
    </message>
    <message>
      <source>reranking {seconds} s</source>
      <translation>재순위 {seconds}초</translation>
    </message>
    <message>
      <source>Writing the answer from {parts} parts…</source>
      <translation>{parts}개 부분으로 답을 쓰는 중…</translation>
    </message>
    <message>
      <source>Answer finished</source>
      <translation>답변 완료</translation>
    </message>
    <message>
      <source>&lt;b&gt;Active adapters:&lt;/b&gt; {names}</source>
      <translation>&lt;b&gt;사용 중인 어댑터:&lt;/b&gt; {names}</translation>
    </message>
    <message>
      <source>stopped</source>
      <translation>중지됨</translation>
    </message>
    <message>
      <source>(stopped)</source>
      <translation>(중지됨)</translation>
    </message>
    <message>
      <source>Reading part {part} of {parts}…</source>
      <translation>{parts}개 중 {part}번째 부분 읽는 중…</translation>
    </message>
    <message>
      <source>Merging notes ({part} of {parts})…</source>
      <translation>메모 합치는 중({parts}개 중 {part})…</translation>
    </message>
    <message>
      <source>Conversations</source>
      <translation>대화 목록</translation>
    </message>
    <message>
      <source>Rename chat</source>
      <translation>대화 이름 바꾸기</translation>
    </message>
    <message>
      <source>Title:</source>
      <translation>제목:</translation>
    </message>
    <message>
      <source>&amp;New</source>
      <translation>새로 만들기(&amp;N)</translation>
    </message>
    <message>
      <source>Rena&amp;me</source>
      <translation>이름 바꾸기(&amp;M)</translation>
    </message>
    <message>
      <source>&amp;Delete</source>
      <translation>삭제(&amp;D)</translation>
    </message>
    <message>
      <source>&amp;Resume import</source>
      <translation>가져오기 이어서(&amp;R)</translation>
    </message>
    <message>
      <source>Discard</source>
      <translation>버리기</translation>
    </message>
    <message>
      <source>Import progress</source>
      <translation>가져오기 진행률</translation>
    </message>
    <message>
      <source>Cancel import</source>
      <translation>가져오기 취소</translation>
    </message>
    <message>
      <source>Cancelling after the current file (or section of a large file)…</source>
      <translation>지금 파일(큰 파일은 현재 구역)을 마친 뒤 취소합니다…</translation>
    </message>
    <message>
      <source>Importing {count} files…</source>
      <translation>파일 {count}개 가져오는 중…</translation>
    </message>
    <message>
      <source>, about {seconds} s left</source>
      <translation>, 약 {seconds}초 남음</translation>
    </message>
    <message>
      <source>, about {minutes} min left</source>
      <translation>, 약 {minutes}분 남음</translation>
    </message>
    <message>
      <source>Import cancelled</source>
      <translation>가져오기 취소됨</translation>
    </message>
    <message>
      <source>Import finished</source>
      <translation>가져오기 완료</translation>
    </message>
    <message>
      <source>{count} files are left from an interrupted import.</source>
      <translation>중단된 가져오기에서 파일 {count}개가 남아 있습니다.</translation>
    </message>
    <message>
      <source>{name}: reading page {done} of {total} by OCR</source>
      <translation>{name}: OCR로 {total}쪽 중 {done}쪽 읽는 중</translation>
    </message>
    <message>
      <source>{name}: {percent} read, {chunks} chunks</source>
      <translation>{name}: {percent} 읽음, 청크 {chunks}개</translation>
    </message>
    <message>
      <source>{added} added, {replaced} replaced, {unchanged} unchanged, {skipped} skipped</source>
      <translation>추가 {added}, 교체 {replaced}, 변경 없음 {unchanged}, 건너뜀 {skipped}</translation>
    </message>
    <message>
      <source>added</source>
      <translation>추가됨</translation>
    </message>
    <message>
      <source>replaced</source>
      <translation>교체됨</translation>
    </message>
    <message>
      <source>unchanged</source>
      <translation>변경 없음</translation>
    </message>
    <message>
      <source>skipped</source>
      <translation>건너뜀</translation>
    </message>
    <message>
      <source>… and {count} more</source>
      <translation>… 외 {count}개</translation>
    </message>
    <message>
      <source>{added} added, {updated} updated, {moved} moved, {removed} removed, {unchanged} unchanged</source>
      <translation>추가 {added}, 갱신 {updated}, 이동 {moved}, 삭제 {removed}, 변경 없음 {unchanged}</translation>
    </message>
    <message>
      <source>folder not found (unplugged or moved?): its documents are kept</source>
      <translation>폴더를 찾을 수 없습니다(연결이 끊겼거나 옮겨졌나요?). 문서는 그대로 둡니다</translation>
    </message>
    <message>
      <source>, {count} could not be read</source>
      <translation>, 읽지 못한 파일 {count}개</translation>
    </message>
    <message>
      <source>Filter documents</source>
      <translation>문서 필터</translation>
    </message>
    <message>
      <source>Imported documents</source>
      <translation>가져온 문서</translation>
    </message>
    <message>
      <source>&amp;Summarize</source>
      <translation>요약(&amp;S)</translation>
    </message>
    <message>
      <source>Watched folders</source>
      <translation>감시 중인 폴더</translation>
    </message>
    <message>
      <source>New, changed, moved and deleted files in these folders reach the library on their own, also those changed while the app was closed.</source>
      <translation>이 폴더에서 새로 생기거나 바뀌거나 옮겨지거나 지워진 파일은 앱이 꺼져 있는 동안 바뀐 것까지 자동으로 라이브러리에 반영됩니다.</translation>
    </message>
    <message>
      <source>&amp;Watch a folder…</source>
      <translation>폴더 감시(&amp;W)…</translation>
    </message>
    <message>
      <source>&amp;Pause</source>
      <translation>일시 중지(&amp;P)</translation>
    </message>
    <message>
      <source>S&amp;top watching</source>
      <translation>감시 중단(&amp;T)</translation>
    </message>
    <message>
      <source>Watch a folder</source>
      <translation>감시할 폴더</translation>
    </message>
    <message>
      <source>{documents} documents, {chunks} chunks</source>
      <translation>문서 {documents}개, 청크 {chunks}개</translation>
    </message>
    <message>
      <source>Filter documents…</source>
      <translation>문서 필터…</translation>
    </message>
    <message>
      <source>Use</source>
      <translation>사용</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>이름</translation>
    </message>
    <message>
      <source>Type</source>
      <translation>형식</translation>
    </message>
    <message>
      <source>Pages</source>
      <translation>쪽수</translation>
    </message>
    <message>
      <source>Chunks</source>
      <translation>청크</translation>
    </message>
    <message>
      <source>Added</source>
      <translation>추가한 날</translation>
    </message>
    <message>
      <source>&amp;Remove</source>
      <translation>제거(&amp;R)</translation>
    </message>
    <message>
      <source>Re-&amp;import</source>
      <translation>다시 가져오기(&amp;I)</translation>
    </message>
    <message>
      <source>&amp;Open file</source>
      <translation>파일 열기(&amp;O)</translation>
    </message>
    <message>
      <source>paused</source>
      <translation>일시 중지됨</translation>
    </message>
    <message>
      <source>synced {time}: {result}</source>
      <translation>{time} 동기화: {result}</translation>
    </message>
    <message>
      <source>not synced yet</source>
      <translation>아직 동기화 전</translation>
    </message>
    <message>
      <source>Res&amp;ume</source>
      <translation>다시 시작(&amp;U)</translation>
    </message>
    <message>
      <source>Use this document in answers</source>
      <translation>답변에 이 문서 사용</translation>
    </message>
    <message>
      <source>not watched: {reason}</source>
      <translation>감시할 수 없음: {reason}</translation>
    </message>
    <message>
      <source>watched</source>
      <translation>감시 중</translation>
    </message>
    <message>
      <source>{name} ({percent} imported)</source>
      <translation>{name} ({percent} 가져옴)</translation>
    </message>
    <message>
      <source>Partly imported: what is in is searchable; import it again to finish.</source>
      <translation>일부만 가져왔습니다. 가져온 부분은 검색할 수 있고, 다시 가져오면 마저 가져옵니다.</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>파일(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;Import files…</source>
      <translation>파일 가져오기(&amp;I)…</translation>
    </message>
    <message>
      <source>Import &amp;folder…</source>
      <translation>폴더 가져오기(&amp;F)…</translation>
    </message>
    <message>
      <source>&amp;Export conversation…</source>
      <translation>대화 내보내기(&amp;E)…</translation>
    </message>
    <message>
      <source>&amp;Settings…</source>
      <translation>설정(&amp;S)…</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
      <source>&amp;Chat</source>
      <translation>대화(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;New chat</source>
      <translation>새 대화(&amp;N)</translation>
    </message>
    <message>
      <source>&amp;Ask</source>
      <translation>질문하기(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Stop</source>
      <translation>중지(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Regenerate</source>
      <translation>다시 생성(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Copy answer</source>
      <translation>답변 복사(&amp;C)</translation>
    </message>
    <message>
      <source>Co&amp;mpare RAG and LoRA…</source>
      <translation>RAG와 LoRA 비교(&amp;M)…</translation>
    </message>
    <message>
      <source>C&amp;onversations</source>
      <translation>대화 목록(&amp;O)</translation>
    </message>
    <message>
      <source>&amp;Tools</source>
      <translation>도구(&amp;T)</translation>
    </message>
    <message>
      <source>&amp;Evaluation…</source>
      <translation>평가(&amp;E)…</translation>
    </message>
    <message>
      <source>&amp;Model</source>
      <translation>모델(&amp;M)</translation>
    </message>
    <message>
      <source>Open a GGUF model</source>
      <translation>GGUF 모델 열기</translation>
    </message>
    <message>
      <source>GGUF models (*.gguf)</source>
      <translation>GGUF 모델 (*.gguf)</translation>
    </message>
    <message>
      <source>&amp;Adapters</source>
      <translation>어댑터(&amp;A)</translation>
    </message>
    <message>
      <source>Add a GGUF LoRA adapter</source>
      <translation>GGUF LoRA 어댑터 추가</translation>
    </message>
    <message>
      <source>Adapter {name}</source>
      <translation>어댑터 {name}</translation>
    </message>
    <message>
      <source>scale </source>
      <translation>배율 </translation>
    </message>
    <message>
      <source>Scale of adapter {name}</source>
      <translation>어댑터 {name}의 배율</translation>
    </message>
    <message>
      <source>{name}: unusable</source>
      <translation>{name}: 사용할 수 없음</translation>
    </message>
    <message>
      <source>&amp;Open model file…</source>
      <translation>모델 파일 열기(&amp;O)…</translation>
    </message>
    <message>
      <source>No adapters found</source>
      <translation>어댑터 없음</translation>
    </message>
    <message>
      <source>Add adapter…</source>
      <translation>어댑터 추가…</translation>
    </message>
    <message>
      <source>Model: loading…</source>
      <translation>모델: 불러오는 중…</translation>
    </message>
    <message>
      <source>Adapters: none</source>
      <translation>어댑터: 없음</translation>
    </message>
    <message>
      <source>Model: loading {name}…</source>
      <translation>모델: {name} 불러오는 중…</translation>
    </message>
    <message>
      <source>Model: {name}</source>
      <translation>모델: {name}</translation>
    </message>
    <message>
      <source>Model: none</source>
      <translation>모델: 없음</translation>
    </message>
    <message>
      <source>GPU ({layers} layers)</source>
      <translation>GPU ({layers}개 층)</translation>
    </message>
    <message>
      <source>{device}, {threads} threads, ctx {n_ctx}</source>
      <translation>{device}, 스레드 {threads}개, 컨텍스트 {n_ctx}</translation>
    </message>
    <message>
      <source>Adapters: {names}</source>
      <translation>어댑터: {names}</translation>
    </message>
    <message>
      <source>Settings</source>
      <translation>설정</translation>
    </message>
    <message>
      <source>Another sentence-transformers folder…</source>
      <translation>다른 sentence-transformers 폴더…</translation>
    </message>
    <message>
      <source>As the system</source>
      <translation>시스템 설정대로</translation>
    </message>
    <message>
      <source>Window language (from the next start)</source>
      <translation>창 언어 (다음 실행부터)</translation>
    </message>
    <message>
      <source>Model server (OpenAI-compatible; empty: the local model)</source>
      <translation>모델 서버 (OpenAI 호환; 비우면 로컬 모델)</translation>
    </message>
    <message>
      <source>Shared library on PostgreSQL (from the next start; empty: this computer's file)</source>
      <translation>PostgreSQL 공유 라이브러리 (다음 시작부터; 비우면 이 컴퓨터의 파일)</translation>
    </message>
    <message>
      <source>Let the chat model judge the first 10 search results before the sources are kept (slower: the model reads each of them first)</source>
      <translation>출처를 정하기 전에 채팅 모델이 검색 결과 상위 10개를 판정 (더 느림: 모델이 각 결과를 먼저 읽음)</translation>
    </message>
    <message>
      <source>Read scans and images by OCR (about 3 s a page; English, Chinese, Japanese; not Korean)</source>
      <translation>스캔 문서와 이미지를 OCR로 읽기 (쪽당 약 3초, 영어·중국어·일본어; 한국어는 읽지 못함)</translation>
    </message>
    <message>
      <source>Context size (tokens)</source>
      <translation>컨텍스트 크기 (토큰)</translation>
    </message>
    <message>
      <source>CPU threads</source>
      <translation>CPU 스레드</translation>
    </message>
    <message>
      <source>GPU layers (0 = CPU only)</source>
      <translation>GPU 층 수 (0 = CPU만)</translation>
    </message>
    <message>
      <source>Temperature</source>
      <translation>온도</translation>
    </message>
    <message>
      <source>Longest answer (tokens)</source>
      <translation>최대 답변 길이 (토큰)</translation>
    </message>
    <message>
      <source>Sources per answer (top-k)</source>
      <translation>답변당 출처 수 (top-k)</translation>
    </message>
    <message>
      <source>Reranking</source>
      <translation>재순위</translation>
    </message>
    <message>
      <source>Chunk size (tokens)</source>
      <translation>청크 크기 (토큰)</translation>
    </message>
    <message>
      <source>Chunk overlap (tokens)</source>
      <translation>청크 겹침 (토큰)</translation>
    </message>
    <message>
      <source>Import</source>
      <translation>가져오기</translation>
    </message>
    <message>
      <source>Data folder</source>
      <translation>데이터 폴더</translation>
    </message>
    <message>
      <source>A sentence-transformers model folder</source>
      <translation>sentence-transformers 모델 폴더</translation>
    </message>
    <message>
      <source>Choosing another embedder re-indexes the library in the background; answers use the current index until the new one is complete.</source>
      <translation>다른 임베딩 모델을 고르면 라이브러리를 백그라운드에서 다시 색인합니다. 새 색인이 완성될 때까지 답변은 지금 색인을 씁니다.</translation>
    </message>
    <message>
      <source>Chunk settings apply to documents imported from now on: re-import the library to re-index existing documents. The chunk size is capped at the embedder's limit.</source>
      <translation>청크 설정은 앞으로 가져오는 문서에 적용됩니다. 기존 문서에 적용하려면 라이브러리를 다시 가져오세요. 청크 크기는 임베딩 모델의 한도를 넘지 않습니다.</translation>
    </message>
    <message>
      <source>To use another data folder, start the app with &lt;code&gt;--data-dir&lt;/code&gt; or set &lt;code&gt;DESKTOP_APP_DATA_DIR&lt;/code&gt;.</source>
      <translation>다른 데이터 폴더를 쓰려면 &lt;code&gt;--data-dir&lt;/code&gt; 옵션으로 앱을 시작하거나 &lt;code&gt;DESKTOP_APP_DATA_DIR&lt;/code&gt;을 설정하세요.</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>출처</translation>
    </message>
    <message>
      <source>{name} — page {page} of {pages}</source>
      <translation>{name} — {pages}쪽 중 {page}쪽</translation>
    </message>
    <message>
      <source>{name}, page {page}</source>
      <translation>{name}, {page}쪽</translation>
    </message>
    <message>
      <source>Cannot open {path}: {error}</source>
      <translation>{path}을(를) 열 수 없음: {error}</translation>
    </message>
    <message>
      <source>source [{number}]</source>
      <translation>출처 [{number}]</translation>
    </message>
    <message>
      <source>default model</source>
      <translation>기본 모델</translation>
    </message>
    <message>
      <source>No model is loaded yet.</source>
      <translation>아직 불러온 모델이 없습니다.</translation>
    </message>
    <message>
      <source>The model is not loaded yet; wait for it (see the status bar).</source>
      <translation>모델을 아직 불러오지 않았습니다. 잠시 기다려 주세요 (상태 표시줄 참고).</translation>
    </message>
    <message>
      <source>The model could not be loaded: {error}</source>
      <translation>모델을 불러오지 못했습니다: {error}</translation>
    </message>
    <message>
      <source>The answer failed: {error}</source>
      <translation>답변에 실패했습니다: {error}</translation>
    </message>
    <message>
      <source>The comparison failed: {error}</source>
      <translation>비교에 실패했습니다: {error}</translation>
    </message>
    <message>
      <source>The evaluation failed: {error}</source>
      <translation>평가에 실패했습니다: {error}</translation>
    </message>
    <message>
      <source>The import failed: {error}</source>
      <translation>가져오기에 실패했습니다: {error}</translation>
    </message>
    <message>
      <source>The re-index failed: {error}</source>
      <translation>다시 색인하지 못했습니다: {error}</translation>
    </message>
    <message>
      <source>The folder sync failed: {error}</source>
      <translation>폴더 동기화 실패: {error}</translation>
    </message>
    <message>
      <source>No document passed the relevance threshold, so the model was not asked.</source>
      <translation>관련성 기준을 넘는 문서가 없어 모델에 묻지 않았습니다.</translation>
    </message>
    <message>
      <source>Generation was stopped: the model began repeating itself.</source>
      <translation>생성을 멈췄습니다: 모델이 같은 말을 되풀이하기 시작했습니다.</translation>
    </message>
    <message>
      <source>Generation was stopped: the model wrote in another language or script.</source>
      <translation>생성을 멈췄습니다: 모델이 다른 언어나 문자로 쓰기 시작했습니다.</translation>
    </message>
    <message>
      <source>The model's answer was withheld: none of the sources holds what it said.</source>
      <translation>모델의 답변을 보류했습니다: 어느 출처에도 그 내용이 없습니다.</translation>
    </message>
    <message>
      <source>The model only pointed at a source; this is the sentence of it that answers the question.</source>
      <translation>모델이 출처 번호만 답했습니다. 그 출처에서 질문에 답하는 문장을 그대로 보여 드립니다.</translation>
    </message>
    <message>
      <source>The model's answer was withheld: the sources hold its facts, but not where they speak of what was asked.</source>
      <translation>모델의 답변을 보류했습니다: 출처에 그 내용은 있지만 질문한 것을 다루는 부분이 아닙니다.</translation>
    </message>
    <message>
      <source>The model answered that the documents do not say, said what no source holds, or answered another question; this sentence of a source answers the question in its own words.</source>
      <translation>모델은 문서에 나와 있지 않다고 답했거나, 어느 출처에도 없는 내용을 말했거나, 다른 질문에 답했지만, 출처의 이 문장이 질문의 말 그대로 답합니다.</translation>
    </message>
    <message>
      <source>The model first answered that the documents do not say; asked again with the first source alone, it answered from it, and the answer passed every check.</source>
      <translation>모델은 처음에 문서에 나와 있지 않다고 답했지만, 첫 번째 출처만 두고 다시 묻자 그 출처로 답했고 이 답변은 모든 확인을 통과했습니다.</translation>
    </message>
    <message>
      <source>multilingual-e5-small (4-bit weights): about 100 languages, Korean included (the default on processors without bfloat16 in hardware)</source>
      <translation>multilingual-e5-small (4비트 가중치): 한국어를 포함한 약 100개 언어 (bfloat16을 하드웨어로 계산하지 못하는 프로세서에서 기본값)</translation>
    </message>
    <message>
      <source>multilingual-e5-small in bfloat16 arithmetic, run by OpenVINO: as accurate, imports about 2.2-2.5x faster on processors with bfloat16 in hardware (the default there)</source>
      <translation>multilingual-e5-small, bfloat16 연산, OpenVINO 실행: 정확도는 같고 bfloat16을 하드웨어로 계산하는 프로세서에서 가져오기가 약 2.2~2.5배 빠름 (그런 프로세서에서 기본값)</translation>
    </message>
    <message>
      <source>multilingual-e5-small in bfloat16 arithmetic, run by PyTorch: as accurate, imports about 1.6-2x faster on processors with bfloat16 in hardware</source>
      <translation>multilingual-e5-small, bfloat16 연산, PyTorch 실행: 정확도는 같고 bfloat16을 하드웨어로 계산하는 프로세서에서 가져오기가 약 1.6~2배 빠름</translation>
    </message>
    <message>
      <source>all-MiniLM-L6-v2: English only, about twice as fast</source>
      <translation>all-MiniLM-L6-v2: 영어 전용, 약 두 배 빠름</translation>
    </message>
    <message>
      <source>Qwen2.5-Coder-0.5B-Instruct Q4_K_M: twice as fast, wrong more often; fits the shipped adapter</source>
      <translation>Qwen2.5-Coder-0.5B-Instruct Q4_K_M: 두 배 빠르지만 더 자주 틀림, 함께 제공되는 어댑터에 맞음</translation>
    </message>
    <message>
      <source>Qwen2.5-Coder-1.5B-Instruct Q4_K_M: reads sources best, English and Korean (default)</source>
      <translation>Qwen2.5-Coder-1.5B-Instruct Q4_K_M: 영어와 한국어 출처를 가장 잘 읽음 (기본값)</translation>
    </message>
    <message>
      <source>Gemma 3 270M base Q4_K_M: small and fast, not instruction-tuned (a LoRA base)</source>
      <translation>Gemma 3 270M 기본 모델 Q4_K_M: 작고 빠르며 지시 학습 안 됨 (LoRA 기반 모델)</translation>
    </message>
  </context>
</TS>
